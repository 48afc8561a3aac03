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

/** A rendered string with the problem it is reported as. */
interface Located extends RenderedString {
  readonly where: Omit<Problem, 'message' | 'parameter'>;
  readonly prefix: string;
  /** The app the string belongs to: an env variable's fix is that app's `secrets`. */
  readonly app: string;
}

/**
 * Every credential among the strings, by name or by value. The values are scanned in one
 * secretlint pass, one value per line (a call costs ~1 ms of set-up, and specs hold thousands of
 * strings at 200 apps); a value with newlines in it is scanned on its own.
 */
async function findings(strings: readonly Located[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const flagged = new Set<Located>();
  const report = (string: Located, message: string) => {
    flagged.add(string);
    // An env variable's fix is the app's `secrets`, in the app API's words; an argument has no such field.
    const home = string.name === undefined ? SECRET_HOME : secretDeclarationHint(string.name, string.app);
    problems.push({ ...string.where, parameter: `${string.prefix}${string.path}`, message: `${message}; expected no credential in Git: ${home}` });
  };
  for (const string of strings) {
    const flag = string.name === undefined ? FLAG.exec(string.value) : null;
    const name = string.name ?? flag?.[1];
    const value = string.name !== undefined ? string.value : (flag?.[2] ?? '');
    const word = name === undefined ? undefined : secretNameWord(name);
    if (word && value.trim() !== '') report(string, `given a literal value under a credential's name ("${word}")`);
  }
  const single = strings.filter((string) => !string.value.includes('\n'));
  const scans: { strings: readonly Located[]; text: string }[] = [
    { strings: single, text: single.map((string) => string.value).join('\n') },
    ...strings.filter((string) => string.value.includes('\n')).map((string) => ({ strings: [string], text: string.value })),
  ];
  for (const scan of scans) {
    for (const finding of await secretValueFindings(scan.text)) {
      const string = scan.strings.length === 1 ? scan.strings[0]! : scan.strings[finding.line - 1]!;
      if (!flagged.has(string)) report(string, `given a value that looks like ${finding.what}`);
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
  const strings: Located[] = [];
  for (const [name, app] of apps) {
    const where = { component: `app-${name}`, file: appFiles.get(name)! };
    strings.push(...stringsOfApp(app).map((string) => ({ ...string, where, prefix: '', app: name })));
  }
  for (const [envName, { spec, file }] of envs) {
    for (const [appName, overrides] of Object.entries(spec.apps)) {
      const where = { env: envName, component: `app-${appName}`, file };
      for (const [name, value] of Object.entries(overrides.env ?? {})) strings.push({ path: formatPath(['env', name]), name, value, where, prefix: `apps.${appName}.`, app: appName });
    }
  }
  return findings(strings);
}
