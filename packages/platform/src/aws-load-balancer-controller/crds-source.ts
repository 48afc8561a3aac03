import type { UpstreamSource } from '@gitops/core';
import { platformSyncWaves } from '../sync-waves';
import { AWS_LOAD_BALANCER_CONTROLLER_VERSION } from '../versions';

/**
 * The controller's CRDs, installed by Argo CD straight from the controller's repository at the
 * same tag as its image, so the two cannot drift and no upstream file is copied here. (The
 * chart's `helm upgrade` never updates CRDs; this way a version bump does.)
 *
 * Read as Kustomize: the folder's kustomization.yaml lists only crds.yaml (TargetGroupBinding,
 * IngressClassParams, ALBTargetControlConfig, GlobalAccelerator), which is what the controller's
 * README installs with `kubectl apply -k`. Read as a plain directory, Argo CD would also apply
 * gateway-crds.yaml, Gateway API kinds this platform does not use, and the AppProject would have
 * to allow them.
 */
export const controllerCrdsSource: UpstreamSource = {
  name: 'aws-load-balancer-controller-crds',
  repoURL: 'https://github.com/kubernetes-sigs/aws-load-balancer-controller',
  path: 'helm/aws-load-balancer-controller/crds',
  tool: 'kustomize',
  targetRevision: AWS_LOAD_BALANCER_CONTROLLER_VERSION,
  namespace: 'kube-system',
  syncWave: platformSyncWaves.controllerCrds,
  // The four CRDs of crds.yaml at v3.5.0, by name.
  clusterResources: [
    'apiextensions.k8s.io/CustomResourceDefinition *.elbv2.k8s.aws',
    'apiextensions.k8s.io/CustomResourceDefinition globalaccelerators.aga.k8s.aws',
  ],
  runsPods: false,
};
