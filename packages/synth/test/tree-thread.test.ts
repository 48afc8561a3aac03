import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { observeTree } from '../src/output';
import { startTreeThread, treeThread, type TreeThreadStarter } from '../src/tree-thread';

// The tree thread's protocol: synth asks a worker thread to look at the env folders and takes each
// folder's answer when it needs it. The real thread runs the launcher's bundle of tree-thread.ts
// (the render-cache tests go through it); here a stand-in thread answers as a test says, to show
// what synth does with each kind of answer, and `treeThread` itself is run in this thread.

const temp = mkdtempSync(join(tmpdir(), 'synth-tree-thread-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(temp, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A starter whose thread answers the request with the replies `answer` (the source of a function of the message and `payload`) gives, and ends. */
const standIn = (answer: string, payload?: unknown): TreeThreadStarter & { started: Worker[] } => {
  const started: Worker[] = [];
  return {
    started,
    start(request) {
      const script = `const { parentPort, workerData } = require('node:worker_threads');
        for (const each of (${answer})({ request: workerData.request }, workerData)) parentPort.postMessage(each);`;
      const worker = new Worker(script, { eval: true, workerData: { request, ...(payload === undefined ? {} : { payload }) } });
      started.push(worker);
      return worker;
    },
  };
};

const dev = folder('dev', { 'app-web/service-web.yaml': 'kind: Service\n', 'README.md': '# dev\n' });
const prod = folder('prod', { 'app-web/service-web.yaml': 'kind: Service\n' });

describe('the tree thread, looking at gitops/', () => {
  it('answers each folder with what the thread found there', async () => {
    const found = observeTree(dev);
    const thread = startTreeThread(standIn('(message, data) => message.request ? message.request.dirs.map((dir) => ({ dir, observed: data.payload })) : []', found), { dirs: [dev] });

    const observed = await thread.observed(dev);
    await thread.stop();

    expect([...observed.digests]).toEqual([...found.digests]);
    expect(observed.state?.files).toEqual(found.state?.files);
  });

  it('looks at a folder on this thread when the thread could not, or ended without answering for it', async () => {
    const thread = startTreeThread(standIn(`(message) => message.request ? [{ dir: message.request.dirs[0], error: 'changed while synth read it' }] : []`), { dirs: [dev, prod] });

    expect([...(await thread.observed(dev)).digests]).toEqual([...observeTree(dev).digests]);
    await thread.stop();
    expect([...(await thread.observed(prod)).digests]).toEqual([...observeTree(prod).digests]);
  });

  it('looks on this thread at a folder it did not ask the thread about', async () => {
    const thread = startTreeThread(standIn('() => []'), { dirs: [dev] });

    expect([...(await thread.observed(prod)).digests]).toEqual([...observeTree(prod).digests]);
    await thread.stop();
  });

  it('stops a thread nobody waits for, which would otherwise never end', async () => {
    const starter = standIn(`() => { for (;;) {} }`);
    const thread = startTreeThread(starter, { dirs: [dev] });
    let exited = false;
    starter.started[0]!.on('exit', () => (exited = true));

    await thread.stop();

    expect(exited).toBe(true);
  });
});

describe('the tree thread, on its side', () => {
  it('answers each folder asked for: what it holds, or why it could not be looked at', () => {
    const replies: unknown[] = [];
    writeFileSync(join(temp, 'a-file'), '');

    treeThread((reply) => replies.push(reply))({ request: { dirs: [dev, join(temp, 'a-file')] } });

    // Read: the two folders' listings and the two files; a file where a folder should be holds nothing.
    expect(replies).toEqual([{ dir: dev, observed: expect.objectContaining({ read: 4 }) }, { dir: join(temp, 'a-file'), observed: expect.objectContaining({ read: 0 }) }]);
  });
});
