import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { observeElsewhere, type Observer } from '../src/observe';
import { observeTree } from '../src/output';

// The observer protocol: synth asks a worker thread to look at the env folders and takes each
// folder's answer when it needs it. The real worker runs the launcher's observer bundle (the
// render-cache tests go through it); here a stand-in thread posts what a test gives it, to show
// what synth does with each kind of answer.

const temp = mkdtempSync(join(tmpdir(), 'synth-observe-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(temp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** An observer whose thread posts `messages` (the source of a function of the request and `payload`) and ends. */
const standIn = (messages: string, payload?: unknown): Observer & { started: Worker[] } => {
  const started: Worker[] = [];
  return {
    started,
    start(request) {
      const script = `const { parentPort, workerData } = require('node:worker_threads');
        for (const message of (${messages})(workerData.request, workerData.payload)) parentPort.postMessage(message);`;
      const worker = new Worker(script, { eval: true, workerData: { request, payload } });
      started.push(worker);
      return worker;
    },
  };
};

describe('observing gitops/ on a worker thread', () => {
  const dev = folder('dev', { 'app-web/service-web.yaml': 'kind: Service\n', 'README.md': '# dev\n' });
  const prod = folder('prod', { 'app-web/service-web.yaml': 'kind: Service\n' });

  it('answers each folder with what the thread found there', async () => {
    const found = observeTree(dev);
    const observing = observeElsewhere(standIn('(request, found) => request.dirs.map((dir) => ({ dir, observed: found }))', found), { dirs: [dev] });

    const observed = await observing.observed(dev);

    expect([...observed.digests]).toEqual([...found.digests]);
    expect(observed.state?.files).toEqual(found.state?.files);
  });

  it('looks at a folder on this thread when the thread could not, or ended without answering for it', async () => {
    const observing = observeElsewhere(standIn(`(request) => [{ dir: request.dirs[0], error: 'changed while synth read it' }]`), { dirs: [dev, prod] });

    expect([...(await observing.observed(dev)).digests]).toEqual([...observeTree(dev).digests]);
    expect([...(await observing.observed(prod)).digests]).toEqual([...observeTree(prod).digests]);
  });

  it('looks on this thread at a folder it did not ask the thread about', async () => {
    const observing = observeElsewhere(standIn('() => []'), { dirs: [dev] });

    expect([...(await observing.observed(prod)).digests]).toEqual([...observeTree(prod).digests]);
  });

  it('stops a thread nobody waits for, which would otherwise never end', async () => {
    const observer = standIn(`() => { for (;;) {} }`);
    const observing = observeElsewhere(observer, { dirs: [dev] });
    let exited = false;
    observer.started[0]!.on('exit', () => (exited = true));

    await observing.stop();

    expect(exited).toBe(true);
  });
});
