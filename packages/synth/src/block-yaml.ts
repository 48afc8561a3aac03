// A direct writer for the common case of toYaml: a Kubernetes object made of maps, sequences,
// one-line strings, integers, booleans and nulls. It writes what the yaml library writes for
// the same object, byte for byte, without building the library's document tree, which cost
// ~1 ms per object and was the largest part of synth at a few hundred apps (`pnpm bench`).
// Whatever it is not certain about it leaves to the library: a scalar outside the plain forms
// below is written by the library in the same position (`key: <scalar>`), and an object with a
// multi-line string, an unusual key or a non-JSON value is written by the library as a whole.

/** How the reference serializer orders keys and writes a scalar as a map value. */
export interface BlockYamlStyle {
  compareKeys(a: string, b: string): number;
  /** The library's text for `value` after `key: ` (quoted or not, as it decides). */
  scalar(value: string | number): string;
}

// Strings the library writes plain under both the YAML 1.1 and 1.2 schemas: a letter first (so
// never a number, date, `.inf`, `~` or `<<`), no space, `#`, quote or bracket anywhere, not
// ending in `:`, not a word either schema reads as a boolean or null, and not `e1`/`E+5` (the
// library's YAML 1.1 float form allows an exponent with no digits before it).
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9._/:@+=,-]*$/;
const NOT_A_STRING = /^(?:y|n|yes|no|on|off|true|false|null)$|^e[-+]?[0-9]/i;
// Kubernetes quantities and percentages (`250m`, `512Mi`, `25%`): digits first, but no schema's
// number form ends in these suffixes.
const QUANTITY = /^[0-9]+(?:\.[0-9]+)?(?:[KMGTPE]i|[kmMGTPE]|%)$/;

const isPlain = (value: string) => (PLAIN_WORD.test(value) && !value.endsWith(':') && !NOT_A_STRING.test(value)) || QUANTITY.test(value);

/** Thrown inside the writer when the object needs the library; never escapes this module. */
const NEEDS_LIBRARY = Symbol('needs the yaml library');

function isMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

class Writer {
  readonly lines: string[] = [];

  constructor(private readonly style: BlockYamlStyle) {}

  private scalar(value: unknown): string {
    if (value === null) return 'null';
    if (value === true) return 'true';
    if (value === false) return 'false';
    if (typeof value === 'string') {
      if (isPlain(value)) return value;
      // A multi-line string becomes a block scalar indented by its position: the library's call.
      if (value.includes('\n') || value.includes('\r')) throw NEEDS_LIBRARY;
    } else if (typeof value === 'number') {
      if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
    } else {
      throw NEEDS_LIBRARY;
    }
    const text = this.style.scalar(value);
    if (text.includes('\n')) throw NEEDS_LIBRARY;
    return text;
  }

  private key(key: string): string {
    if (!isPlain(key)) throw NEEDS_LIBRARY;
    return key;
  }

  /** `key: value` lines of a non-empty map, at `indent` spaces. */
  map(map: Record<string, unknown>, indent: number): void {
    const pad = ' '.repeat(indent);
    for (const key of Object.keys(map).sort(this.style.compareKeys)) {
      const value = map[key];
      const head = `${pad}${this.key(key)}:`;
      if (Array.isArray(value)) {
        if (value.length === 0) this.lines.push(`${head} []`);
        else {
          this.lines.push(head);
          this.sequence(value, indent + 2);
        }
      } else if (isMap(value)) {
        if (Object.keys(value).length === 0) this.lines.push(`${head} {}`);
        else {
          this.lines.push(head);
          this.map(value, indent + 2);
        }
      } else {
        this.lines.push(`${head} ${this.scalar(value)}`);
      }
    }
  }

  /** `- item` lines of a non-empty sequence; a collection item starts on the dash's line. */
  sequence(items: readonly unknown[], indent: number): void {
    const dash = `${' '.repeat(indent)}- `;
    for (let index = 0; index < items.length; index++) {
      if (!(index in items)) throw NEEDS_LIBRARY;
      const item = items[index];
      const empty = Array.isArray(item) ? item.length === 0 : isMap(item) && Object.keys(item).length === 0;
      if (empty) {
        this.lines.push(`${dash}${Array.isArray(item) ? '[]' : '{}'}`);
      } else if (Array.isArray(item) || isMap(item)) {
        const first = this.lines.length;
        if (Array.isArray(item)) this.sequence(item, indent + 2);
        else this.map(item, indent + 2);
        this.lines[first] = dash + this.lines[first]!.slice(indent + 2);
      } else {
        this.lines.push(dash + this.scalar(item));
      }
    }
  }
}

/**
 * The YAML document of one object as the library would write it with `style`, or `undefined`
 * when the object holds something only the library writes right.
 */
export function writeBlockYaml(object: unknown, style: BlockYamlStyle): string | undefined {
  if (!isMap(object) || Object.keys(object).length === 0) return undefined;
  const writer = new Writer(style);
  try {
    writer.map(object, 0);
  } catch (error) {
    if (error === NEEDS_LIBRARY) return undefined;
    throw error;
  }
  return `${writer.lines.join('\n')}\n`;
}
