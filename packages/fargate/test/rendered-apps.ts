import api from '@apps/api';
import web from '@apps/web';
import worker from '@apps/worker';
import { appComponent } from '@gitops/app';
import { checkParameter, parameterName, type ParameterDefinition } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import { Chart, Testing } from 'cdk8s';
import type { FargateInput } from '../src/index';

/** The sample apps as `env` runs them, rendered with the committed SSM snapshot's values. */
export function renderSampleApps(env: EnvironmentSpec, snapshot: { parameters: Record<string, { type: string; value: string }> }): FargateInput {
  const app = Testing.app();
  const components = [web, api, worker].map((definition) => appComponent(definition, env.apps[definition.name]));
  const objects = components.flatMap((component) => {
    const chart = new Chart(app, component.name, { disableResourceNameHashes: true });
    component.render(chart, {
      env,
      param<T>(definition: ParameterDefinition<T>): T {
        const checked = checkParameter(definition, snapshot.parameters[parameterName(definition, env)], env);
        if (!checked.ok) throw new Error(checked.problem);
        return checked.value;
      },
    });
    return chart.toJson().map((manifest: any) => ({ component: component.name, file: `${component.name}/${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`, manifest }));
  });
  return { env, components, objects };
}
