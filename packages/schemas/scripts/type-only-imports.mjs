// `cdk8s import` writes `import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s'`,
// but the last two are types: under `verbatimModuleSyntax` tsc rejects that line, and at run time
// Node fails with "does not provide an export named 'ApiObjectMetadata'". Mark them type-only.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../imports/', import.meta.url).pathname;
for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
  const path = join(dir, file);
  const source = readFileSync(path, 'utf8');
  const fixed = source.replace(
    /^import \{ ApiObject, ApiObjectMetadata, GroupVersionKind \} from 'cdk8s';$/m,
    "import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';",
  );
  if (fixed !== source) writeFileSync(path, fixed);
}
