import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { ValidateFunction } from 'ajv';

// Compiling one kind's validator is the slow part of strict validation: ajv generates code for
// the whole closure of definitions the kind reaches (~270 ms for a Deployment on a 2-core
// machine), and building the schemas first means parsing cdk8s-plus-29's 2.8 MB jsii assembly and
// every CRD (~150 ms of YAML parsing for the project's CRDs). So the generated code (ajv's
// standalone code) and the parsed CRDs are kept on disk, and a later process loads them (~15 ms
// for a Deployment) without building any schema. Their key covers everything they are made
// from: this package's source, the CRD files, and the ajv, yaml and cdk8s-plus-29 versions.
// Deleting the folder is always safe.

const require = createRequire(import.meta.url);
const SOURCE_DIR = fileURLToPath(new URL('./', import.meta.url));

/** `$GITOPS_CACHE_DIR/schemas`, else node_modules/.cache/gitops-schemas of this package. */
export const SCHEMA_CACHE_DIR = process.env.GITOPS_CACHE_DIR
  ? join(process.env.GITOPS_CACHE_DIR, 'schemas')
  : fileURLToPath(new URL('../node_modules/.cache/gitops-schemas/', import.meta.url));

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** A hash of everything the schemas of `crdDir` are derived from (~1 ms: a few small files). */
function schemaFingerprint(crdDir: string): string {
  const hash = createHash('sha256');
  for (const name of ['ajv', 'yaml', 'cdk8s-plus-29']) {
    hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}\n`);
  }
  for (const folder of [SOURCE_DIR, crdDir]) {
    for (const file of readdirSync(folder).sort()) hash.update(`${file}\n`).update(readFileSync(join(folder, file)));
  }
  return hash.digest('hex').slice(0, 32);
}

const derived = new Map<string, unknown>();

function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch {
    // Read-only checkout or cache: derive again next time.
  }
}

/**
 * JSON-shaped data derived from the schema sources of `crdDir`: computed once, kept on disk for
 * later processes and in memory for this one. Treat it as read-only: it is shared.
 */
export function cachedDerivation<T>(name: string, crdDir: string, derive: () => T, dir: string = SCHEMA_CACHE_DIR): T {
  const file = join(dir, `${schemaFingerprint(crdDir)}-${name}.json`);
  if (derived.has(file)) return derived.get(file) as T;
  let value: T;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    value = derive();
    writeAtomically(file, JSON.stringify(value));
  }
  derived.set(file, value);
  return value;
}

/** A validator loaded from the cache. */
export interface LoadedValidator {
  readonly validate: ValidateFunction;
  /** To call once the validator has checked an object. */
  checkedOne(): void;
}

/** Compiled validators of one set of schemas (this source, these CRDs), by apiVersion/kind. */
export class ValidatorCache {
  private readonly fingerprint: string;

  constructor(
    crdDir: string,
    ajvOptions: object,
    private readonly dir: string = SCHEMA_CACHE_DIR,
  ) {
    this.fingerprint = sha256(`${schemaFingerprint(crdDir)}\n${JSON.stringify(ajvOptions)}`).slice(0, 32);
  }

  private fileOf(kindKey: string): string {
    return join(this.dir, `${this.fingerprint}-${sha256(kindKey).slice(0, 16)}.cjs`);
  }

  /**
   * The validator compiled by an earlier process, if there is one. It runs from V8's code cache
   * of it when there is one; `checkedOne` writes that cache after the first object was checked,
   * so it also holds the functions V8 compiled lazily for it (~100 ms less for the repo's kinds).
   */
  load(kindKey: string): LoadedValidator | undefined {
    const file = this.fileOf(kindKey);
    let code: string;
    try {
      code = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(`${file}.v8`);
    } catch {
      cachedData = undefined;
    }
    // Standalone code is a CommonJS module that requires ajv's runtime helpers.
    const script = new Script(`(function (require, module, exports) {${code}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
    const module = { exports: {} as unknown };
    (script.runInThisContext() as (...args: unknown[]) => void)(require, module, module.exports);
    let cached = cachedData !== undefined && !script.cachedDataRejected;
    return {
      validate: module.exports as ValidateFunction,
      checkedOne() {
        if (cached) return;
        cached = true;
        writeAtomically(`${file}.v8`, script.createCachedData());
      },
    };
  }

  /** Keeps a validator's standalone code; a folder that cannot be written only costs speed. */
  save(kindKey: string, code: string): void {
    writeAtomically(this.fileOf(kindKey), code);
  }
}
