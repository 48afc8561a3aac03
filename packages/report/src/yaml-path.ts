/**
 * The YAML path of each line of a block-style YAML document (`spec.template.spec.containers[0].image`),
 * from indentation alone: what a diff hunk is about, shown in its header the way `git diff` shows
 * the enclosing function. The rendered files are block style with two-space indents (synth's writer).
 */
export function yamlLinePaths(text: string): string[] {
  const stack: { indent: number; key: string }[] = [];
  /** Per sequence (by its parent's path, unique in a document), the index of the current item. */
  const counters = new Map<string, number>();
  const paths: string[] = [];
  let inBlockScalar: number | undefined;
  const path = () => stack.map((entry) => entry.key).join('.').replace(/\.\[/g, '[');
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (inBlockScalar !== undefined) {
      if (body === '' || indent > inBlockScalar) {
        paths.push(path());
        continue;
      }
      inBlockScalar = undefined;
    }
    if (body === '' || body.startsWith('#')) {
      paths.push(path());
      continue;
    }
    let rest = body;
    let column = indent;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= column) stack.pop();
    // `- key: value` opens a sequence item, then a key inside it two columns further in.
    while (rest.startsWith('- ') || rest === '-') {
      const parent = path();
      const counterKey = `${parent}@${column}`;
      const index = (counters.get(counterKey) ?? -1) + 1;
      counters.set(counterKey, index);
      stack.push({ indent: column, key: `[${index}]` });
      rest = rest.slice(2).trimStart();
      column += 2;
    }
    const keyed = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:"'][^:]*?)\s*:(?:\s+(.*)|$)/.exec(rest);
    if (keyed) {
      const key = keyed[1]!.replace(/^["']|["']$/g, '');
      stack.push({ indent: column, key });
      paths.push(path());
      if (/^[|>][-+0-9]*$/.test(keyed[2] ?? '')) inBlockScalar = column;
      // A scalar value closes the key; a nested mapping or sequence below keeps it open.
      if ((keyed[2] ?? '') !== '' && !/^[|>]/.test(keyed[2]!)) stack.pop();
      continue;
    }
    paths.push(path());
  }
  return paths;
}
