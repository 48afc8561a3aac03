import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { labels, names, selectorLabels } from './names';

/** The Service the API server calls for every webhook the controller serves. */
export class WebhookService extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeService(this, 'resource', {
      metadata: { name: names.webhookService, namespace: names.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: { ...selectorLabels },
        ports: [{ name: 'webhook-server', port: 443, targetPort: k8s.IntOrString.fromString('webhook-server'), protocol: 'TCP' }],
      },
    });
  }
}
