import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderAll, toYaml } from '../src/index';
import { repoRoot } from './support/scratch';

const run = promisify(execFile);

const filesOf = async () => (await renderAll({ root: repoRoot })).rendered.flatMap(({ env, files }) => [...files].map(([path, content]) => [`${env.name}/${path}`, content]));

describe('rendering is a pure function of the repository', () => {
  it('gives byte-identical files on a second in-process render', async () => {
    const first = await filesOf();
    const second = await filesOf();

    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
  });

  it('gives the same files when the process time zone changes between renders', async () => {
    const before = await filesOf();
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      expect(new Date('2026-01-01T00:00:00Z').getHours()).toBe(14);
      expect(await filesOf()).toEqual(before);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  // A child process is the only way to change the ICU default locale; `synth --check` exiting 0
  // there proves the output under that time zone and locale is byte-identical to the committed gitops/.
  it.each([
    ['Pacific/Kiritimati', 'tr_TR.UTF-8', 'tr-TR'],
    ['America/Los_Angeles', 'ja_JP.UTF-8', 'ja-JP'],
  ])('passes synth --check under TZ=%s LANG=%s', async (tz, lang, locale) => {
    const env = { ...process.env, TZ: tz, LANG: lang, LC_ALL: lang };
    const probe = await run(process.execPath, ['-e', 'console.log(Intl.DateTimeFormat().resolvedOptions().timeZone, new Intl.Collator().resolvedOptions().locale)'], { env });
    // The child really runs in that zone and locale, or this test would prove nothing.
    expect(probe.stdout.trim()).toBe(`${tz} ${locale}`);

    const { stdout } = await run(process.execPath, [join(repoRoot, 'packages/synth/bin/synth.mjs'), 'synth', '--check'], { cwd: repoRoot, env });

    expect(stdout.trim().split('\n').at(-1)).toBe('gitops/ is up to date');
  });
});

describe('toYaml', () => {
  it('orders keys the same whatever order they were set in: apiVersion, kind, metadata first, then code points', () => {
    const a = { spec: { b: 1, a: 2, Z: 3, é: 4 }, metadata: { labels: { z: '1', a: '2' }, name: 'x' }, kind: 'K', apiVersion: 'v1' };
    const b = { apiVersion: 'v1', kind: 'K', metadata: { name: 'x', labels: { a: '2', z: '1' } }, spec: { é: 4, Z: 3, a: 2, b: 1 } };

    expect(toYaml(a)).toBe(toYaml(b));
    expect(toYaml(a)).toBe('apiVersion: v1\nkind: K\nmetadata:\n  name: x\n  labels:\n    a: "2"\n    z: "1"\nspec:\n  Z: 3\n  a: 2\n  b: 1\n  é: 4\n');
  });

  it('puts integer-like keys first in numeric order, as JavaScript objects hold them, whatever the insertion order', () => {
    const text = 'data:\n  "9": nine\n  "10": ten\n  a: x\n  b: why\n';

    expect(toYaml({ data: { b: 'why', 10: 'ten', a: 'x', 9: 'nine' } })).toBe(text);
    expect(toYaml({ data: { a: 'x', 9: 'nine', b: 'why', 10: 'ten' } })).toBe(text);
  });

  it('keeps array order and never folds long lines', () => {
    const long = 'x'.repeat(300);

    expect(toYaml({ args: ['--b', '--a', long] })).toBe(`args:\n  - --b\n  - --a\n  - ${long}\n`);
  });

  // Kubernetes and Argo CD parse YAML with go-yaml v2 (YAML 1.1): there, unquoted `on` or `yes`
  // is a boolean and `1_000` a number, and a string field holding one is rejected.
  it.each(['on', 'off', 'yes', 'no', 'y', 'N', 'true', 'null', '~', '1_000', '1:20', '0777', '0o17', '0x1F', '1e3', '.inf', '2024-01-01', ''])(
    'writes the string %j so YAML 1.1 and 1.2 readers both read it back as a string',
    (value) => {
      const text = toYaml({ metadata: { labels: { flag: value } } });

      expect(parse(text, { version: '1.1' }).metadata.labels.flag).toBe(value);
      expect(parse(text, { version: '1.2' }).metadata.labels.flag).toBe(value);
    },
  );

  it('leaves plain strings, numbers and booleans unquoted', () => {
    expect(toYaml({ a: 'enabled', b: 3, c: true, d: 'web-1' })).toBe('a: enabled\nb: 3\nc: true\nd: web-1\n');
  });
});
