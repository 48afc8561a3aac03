// Regenerates imports/<group>.ts from crds/*.yaml with `cdk8s import`. The CLI takes one spec
// per run and names its output after the API group, so CRDs of one group that live in separate
// files (TargetGroupBinding and IngressClassParams) are joined into one spec per group first;
// importing file by file would overwrite each group's module with its last file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const crdDir = join(root, 'crds');
const importDir = join(root, 'imports');

const groups = new Map();
for (const file of readdirSync(crdDir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
  for (const document of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'))) {
    const crd = document.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    groups.set(crd.spec.group, [...(groups.get(crd.spec.group) ?? []), document.toString()]);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'crd-import-'));
try {
  for (const [group, documents] of groups) {
    const spec = join(scratch, `${group}.yaml`);
    writeFileSync(spec, documents.join('---\n'));
    execFileSync('cdk8s', ['import', '--no-check-upgrade', '--language', 'typescript', '--no-class-prefix', '--output', importDir, spec], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    console.log(`imports/${group}.ts <- ${documents.length} CRD(s)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// `cdk8s import` writes `import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s'`,
// but the last two are types: under `verbatimModuleSyntax` tsc rejects that line, and at run time
// Node fails with "does not provide an export named 'ApiObjectMetadata'". Mark them type-only.
for (const file of readdirSync(importDir).filter((name) => name.endsWith('.ts'))) {
  const path = join(importDir, file);
  const source = readFileSync(path, 'utf8');
  const fixed = source.replace(
    /^import \{ ApiObject, ApiObjectMetadata, GroupVersionKind \} from 'cdk8s';$/m,
    "import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';",
  );
  if (fixed !== source) writeFileSync(path, fixed);
}
