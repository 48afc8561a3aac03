/**
 * Where External Secrets Operator's controller runs, as the platform installs it (packages/platform
 * external-secrets.ts) and as each app's objects name it: the Role in an app's namespace lets this
 * one service account request tokens for that app's service account, and nothing else.
 */
export const externalSecretsController = {
  namespace: 'external-secrets',
  /** The chart's controller service account, named explicitly in its values. */
  serviceAccount: 'external-secrets',
} as const;
