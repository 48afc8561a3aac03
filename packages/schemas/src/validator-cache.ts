import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';

// Compiling one kind's validator is the slow part of strict validation: ajv generates code for
// the whole closure of definitions the kind reaches (~270 ms for a Deployment on a 2-core
// machine), and building the schemas first means parsing cdk8s-plus-29's 2.8 MB jsii assembly and
// every CRD. So the generated code (ajv's standalone code) is kept on disk, and a later process
// loads it (~15 ms for a Deployment) without building any schema. Its key covers everything a
// validator is made from: this package's source, the CRD files, the ajv options and the ajv and
// cdk8s-plus-29 versions. Deleting the folder is always safe.

const require = createRequire(import.meta.url);
const SOURCE_DIR = fileURLToPath(new URL('./', import.meta.url));

/** `$GITOPS_CACHE_DIR/validators`, else node_modules/.cache/gitops-validators of this package. */
export const VALIDATOR_CACHE_DIR = process.env.GITOPS_CACHE_DIR
  ? join(process.env.GITOPS_CACHE_DIR, 'validators')
  : fileURLToPath(new URL('../node_modules/.cache/gitops-validators/', import.meta.url));

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** Compiled validators of one set of schemas (this source, these CRDs), by apiVersion/kind. */
export class ValidatorCache {
  private readonly fingerprint: string;

  constructor(
    crdDir: string,
    ajvOptions: object,
    private readonly dir: string = VALIDATOR_CACHE_DIR,
  ) {
    const hash = createHash('sha256').update(JSON.stringify(ajvOptions));
    for (const name of ['ajv', 'cdk8s-plus-29']) {
      hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}\n`);
    }
    for (const folder of [SOURCE_DIR, crdDir]) {
      for (const file of readdirSync(folder).sort()) hash.update(`${file}\n`).update(readFileSync(join(folder, file)));
    }
    this.fingerprint = hash.digest('hex').slice(0, 32);
  }

  private fileOf(kindKey: string): string {
    return join(this.dir, `${this.fingerprint}-${sha256(kindKey).slice(0, 16)}.cjs`);
  }

  /** The validator compiled by an earlier process, if there is one. */
  load(kindKey: string): ValidateFunction | undefined {
    let code: string;
    try {
      code = readFileSync(this.fileOf(kindKey), 'utf8');
    } catch {
      return undefined;
    }
    // Standalone code is a CommonJS module that requires ajv's runtime helpers.
    const module = { exports: {} as unknown };
    new Function('require', 'module', 'exports', code)(require, module, module.exports);
    return module.exports as ValidateFunction;
  }

  /** Keeps a validator's standalone code; a folder that cannot be written only costs speed. */
  save(kindKey: string, code: string): void {
    const file = this.fileOf(kindKey);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temporary, code);
      renameSync(temporary, file);
    } catch {
      // Read-only checkout or cache: compile again next time.
    }
  }
}
