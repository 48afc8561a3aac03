import ts from 'typescript';

/** A problem that stops the command before anything is written: one line. */
export class ScaffoldError extends Error {}

export function parseSource(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** The object literal passed to `callee(...)` (e.g. `defineEnvironment({...})`), or a ScaffoldError naming the file. */
export function callArgument(source: ts.SourceFile, callee: string): ts.ObjectLiteralExpression {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === callee && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
      found = node.arguments[0];
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new ScaffoldError(`${source.fileName}: no ${callee}({ ... }) call with an object literal to add to; edit it by hand`);
  return found;
}

/** The initializer of the variable `name` (e.g. `export const fargateProfiles = [...]`). */
export function variableInitializer(source: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
    }
  }
  return undefined;
}

/** A property of an object literal by name: `apps: {...}`, or shorthand `fargateProfiles`. */
export function property(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

/** One text insertion; apply several with `applyEdits`. */
export interface Edit {
  readonly at: number;
  readonly text: string;
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) result = result.slice(0, edit.at) + edit.text + result.slice(edit.at);
  return result;
}

/**
 * Appends `item` to an object or array literal in the style it is written in: on a line of its
 * own, indented like the last element, when the literal spans lines; after `, ` when it is on one.
 */
export function appendItem(source: ts.SourceFile, literal: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression, item: string): Edit {
  const elements: ts.NodeArray<ts.Node> = ts.isObjectLiteralExpression(literal) ? literal.properties : literal.elements;
  const text = source.text;
  const last = elements[elements.length - 1];
  if (!last) {
    const open = literal.getStart(source) + 1;
    return ts.isObjectLiteralExpression(literal) ? { at: open, text: ` ${item} ` } : { at: open, text: item };
  }
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const multiline = lineOf(last.getStart(source)) !== lineOf(literal.getStart(source));
  if (!multiline) return { at: last.end, text: `, ${item}` };
  const column = source.getLineAndCharacterOfPosition(last.getStart(source)).character;
  if (elements.hasTrailingComma) {
    const comma = text.indexOf(',', last.end);
    return { at: comma + 1, text: `\n${' '.repeat(column)}${item},` };
  }
  return { at: last.end, text: `,\n${' '.repeat(column)}${item}` };
}

/** The import of `module` in `source`, and the names it imports. */
export function namedImports(source: ts.SourceFile, module: string): { declaration: ts.ImportDeclaration; names: string[] } | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((element) => element.name.text) : [];
    return { declaration: statement, names };
  }
  return undefined;
}

/** Every import declaration's end: where a new import line goes. */
export function afterImports(source: ts.SourceFile): number {
  const imports = source.statements.filter(ts.isImportDeclaration);
  return imports.length > 0 ? imports[imports.length - 1]!.end : 0;
}
