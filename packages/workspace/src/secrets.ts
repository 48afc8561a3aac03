import { secretDeclarationHint, type AppDefinition } from '@gitops/app';
import { formatPath, SECRET_HOME, secretNameWord, secretValueFindings, type EnvironmentSpec, type Problem } from '@gitops/core';

/** A string of a spec that is rendered into gitops/ as it is: an env value, an argument, a command word. */
interface RenderedString {
  readonly path: string;
  /** The variable's name, when the string is one's value. */
  readonly name?: string;
  readonly value: string;
}

function stringsOfApp(app: AppDefinition): RenderedString[] {
  return [
    ...Object.entries(app.env ?? {}).map(([name, value]) => ({ path: formatPath(['env', name]), name, value })),
    ...(app.args ?? []).map((value, index) => ({ path: `args[${index}]`, value })),
    ...(app.command ?? []).map((value, index) => ({ path: `command[${index}]`, value })),
  ];
}

// `--password=x`, `--api-key x` as one argument: the flag names what follows.
const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)[= ](.+)$/;

/** Every credential among the strings, by name or by value, as problems of `where`. */
async function findings(strings: readonly RenderedString[], where: Omit<Problem, 'message' | 'parameter'>, app: string, prefix = ''): Promise<Problem[]> {
  const problems: Problem[] = [];
  // An env variable's fix is the app's `secrets`, in the app API's words; an argument has no such field.
  const home = (string: RenderedString) => (string.name === undefined ? SECRET_HOME : secretDeclarationHint(string.name, app));
  const flagged = new Set<string>();
  for (const string of strings) {
    const flag = string.name === undefined ? FLAG.exec(string.value) : null;
    const name = string.name ?? flag?.[1];
    const value = string.name !== undefined ? string.value : (flag?.[2] ?? '');
    const word = name === undefined ? undefined : secretNameWord(name);
    if (word && value.trim() !== '') {
      flagged.add(string.path);
      problems.push({
        ...where,
        parameter: `${prefix}${string.path}`,
        message: `given a literal value under a credential's name ("${word}"); expected no credential in Git: ${home(string)}`,
      });
    }
  }
  // One value per line, so a finding's line is the string's index; newlines inside a value are
  // kept apart by scanning multi-line values on their own.
  const single = strings.filter((string) => !string.value.includes('\n'));
  const scans: { strings: readonly RenderedString[]; text: string }[] = [
    { strings: single, text: single.map((string) => string.value).join('\n') },
    ...strings.filter((string) => string.value.includes('\n')).map((string) => ({ strings: [string], text: string.value })),
  ];
  for (const scan of scans) {
    for (const finding of await secretValueFindings(scan.text)) {
      const string = scan.strings.length === 1 ? scan.strings[0]! : scan.strings[finding.line - 1]!;
      if (flagged.has(string.path)) continue;
      flagged.add(string.path);
      problems.push({ ...where, parameter: `${prefix}${string.path}`, message: `given a value that looks like ${finding.what}; expected no credential in Git: ${home(string)}` });
    }
  }
  return problems;
}

/**
 * Credentials written into specs: an app's env values, arguments and command, and each env's
 * overrides of an app's env. Found by the variable's (or flag's) name and by the value's shape;
 * the problem names the file and field, never the value.
 */
export async function specSecretProblems(
  apps: ReadonlyMap<string, AppDefinition>,
  appFiles: ReadonlyMap<string, string>,
  envs: ReadonlyMap<string, { spec: EnvironmentSpec; file: string }>,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const [name, app] of apps) {
    problems.push(...(await findings(stringsOfApp(app), { component: `app-${name}`, file: appFiles.get(name)! }, name)));
  }
  for (const [envName, { spec, file }] of envs) {
    for (const [appName, overrides] of Object.entries(spec.apps)) {
      const strings = Object.entries(overrides.env ?? {}).map(([name, value]) => ({ path: formatPath(['env', name]), name, value }));
      problems.push(...(await findings(strings, { env: envName, component: `app-${appName}`, file }, appName, `apps.${appName}.`)));
    }
  }
  return problems;
}
