import { checkParameterName } from '@gitops/contract';
import type { AppOverrides } from '@gitops/core';
import type { AppDefinition, AppSecretSource } from './definition';
import { secretParameterName, secretsManagerName, type SecretsEnvironment } from './secrets';

type Report = (parameter: string, message: string) => void;

const AWS_KEY_VARIABLES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
// Secrets Manager secret names (CreateSecret, Name): at most 512 of letters, digits and /_+=.@-.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const MAX_SECRET_NAME = 512;
// "Do not end your secret name with a hyphen followed by six characters": a partial ARN would be
// read as a full one (Secrets Manager user guide, CreateSecret and "Find secrets").
const LOOKS_LIKE_SUFFIX = /-[A-Za-z0-9]{6}$/;

function sourceProblems(env: SecretsEnvironment, app: AppDefinition, field: string, source: AppSecretSource, report: Report): void {
  const kinds = [source.secretsManager !== undefined, source.parameter !== undefined].filter(Boolean).length;
  if (kinds !== 1) report(field, 'needs exactly one of secretsManager (a Secrets Manager secret) and parameter (an SSM SecureString)');
  if (source.secretsManager !== undefined) {
    const name = source.secretsManager;
    const full = secretsManagerName(env, app, name);
    if (!SECRET_NAME.test(name) || name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
      report(`${field}.secretsManager`, `"${name}" is not a secret name relative to the app (letters, digits and /_+=.@-, no leading, trailing or double "/")`);
    } else if (full.length > MAX_SECRET_NAME) {
      report(`${field}.secretsManager`, `"${full}" is ${full.length} characters; Secrets Manager allows ${MAX_SECRET_NAME}`);
    } else if (LOOKS_LIKE_SUFFIX.test(name)) {
      report(`${field}.secretsManager`, `"${name}" ends in "-" and six characters, which Secrets Manager would confuse with the random suffix of an ARN; rename it`);
    }
  }
  if (source.parameter !== undefined) {
    const path = source.parameter;
    if (path.startsWith('/')) {
      report(`${field}.parameter`, `"${path}" is not a parameter path relative to the app (e.g. "api/key", without a leading "/")`);
    } else {
      const full = secretParameterName(env, app, path);
      const problems = checkParameterName(full, env);
      if (problems.length > 0) report(`${field}.parameter`, `"${path}" makes the parameter name ${full}: ${problems.join('; ')}`);
    }
  }
}

/**
 * Every problem with an app's `secrets` in one env that its schema (definition.ts) cannot see:
 * each source's name or path, checked as its full name in the env; a value declared twice; one
 * secret with two keys; and a variable that `env` also sets (two sources for one variable: which
 * wins would be an accident of order). Field types, unknown fields and variable names are the
 * schema's, checked when the app module loads.
 */
export function secretsProblems(app: AppDefinition, env: SecretsEnvironment, report: Report): void {
  if (app.secrets === undefined) return;
  const read = new Map<string, string>();
  const keyOf = new Map<string, { variable: string; customerKey: boolean }>();
  for (const [variable, source] of Object.entries(app.secrets)) {
    const field = `secrets.${variable}`;
    if (AWS_KEY_VARIABLES.has(variable)) report(field, 'static AWS credentials are refused; the app gets an IRSA role with `aws`');
    if (app.env && Object.hasOwn(app.env, variable)) report(field, `${variable} is also set in env; a variable comes from env or from secrets, not both`);
    sourceProblems(env, app, field, source, report);
    const what =
      source.secretsManager !== undefined
        ? `secret ${source.secretsManager}${source.key === undefined ? '' : ` key ${source.key}`}`
        : `parameter ${source.parameter}${source.key === undefined ? '' : ` key ${source.key}`}`;
    if (source.secretsManager !== undefined) {
      const customerKey = source.customerKey === true;
      const other = keyOf.get(source.secretsManager);
      if (other && other.customerKey !== customerKey) {
        report(`${field}.customerKey`, `secret ${source.secretsManager} is encrypted with one key; ${other.variable} says customerKey ${other.customerKey}`);
      }
      keyOf.set(source.secretsManager, { variable, customerKey });
    }
    const first = read.get(what);
    if (first !== undefined) report(field, `reads ${what}, which ${first} already reads; declare each value once`);
    else read.set(what, variable);
  }
}

/** An env's `env` override that would shadow one of the app's secrets. */
export function secretOverrideProblems(app: AppDefinition, overrides: AppOverrides, report: Report): void {
  for (const variable of Object.keys(overrides.env ?? {})) {
    if (app.secrets && Object.hasOwn(app.secrets, variable)) {
      report(`env.${variable}`, `${variable} is one of app ${app.name}'s secrets; a variable comes from env or from secrets, not both`);
    }
  }
}
