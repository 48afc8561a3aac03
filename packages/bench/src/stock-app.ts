// The same charts rendered the stock cdk8s way, for `pnpm bench` to compare with `pnpm synth`:
// copied as main.ts into a benchmark workspace beside a cdk8s.yaml whose app command runs it
// with ts-node, and run by `cdk8s synth`. One cdk8s App per env, one Chart per component (as
// synth makes them), written by cdk8s itself, one file per resource under dist/<env>/. It does
// less than synth (no strict schemas, no checks, no comparison with gitops/).
import { App, Chart, YamlOutputType } from 'cdk8s';
import { parameterName, type AwsEnvironment, type ParameterDefinition } from '@gitops/contract';
import type { RenderedManifest } from '@gitops/core';
import { componentsFor, loadWorkspace, resolveParameters, SnapshotSource } from '@gitops/synth';

const root = process.cwd();
const workspace = await loadWorkspace(root);
let objects = 0;
for (const env of workspace.environments.values()) {
  const components = componentsFor(env, workspace);
  const parameters = await resolveParameters(env, components, new SnapshotSource(root));
  const app = new App({ outdir: `${process.env.CDK8S_OUTDIR ?? 'dist'}/${env.name}`, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
  const renderedBefore: RenderedManifest[] = [];
  for (const component of components) {
    const chart = new Chart(app, component.name, { disableResourceNameHashes: true });
    component.render(chart, {
      env,
      renderedBefore,
      param: <T>(definition: ParameterDefinition<T>, from: AwsEnvironment = env) => parameters.get(parameterName(definition, from)) as T,
    });
    for (const manifest of chart.toJson()) renderedBefore.push({ component: component.name, manifest });
  }
  app.synth();
  objects += renderedBefore.length;
}
console.log(`${objects} objects`);
