import { JsonReader, JsonSyntaxError, TOO_LONG, type JsonPosition } from '../json/reader';
import { MalformedScenarioError } from '../errors';
import { quote } from '../quote';
import { formatPath, type PathSegment } from './path';

/**
 * Reads a scenario file as strict JSON (`replay.md`): syntax errors are reported with their line and
 * column (the end of input included), and a member name given twice anywhere in the file (inside
 * `claims` and `header` too, names compared after unescaping) makes the file malformed instead of
 * letting the last one win.
 *
 * The reader (src/json/reader.ts) walks the text without recursion, so `claims` nested to any depth
 * are read (replay.md refuses only claims that are not an object; a depth no 8 KiB token can carry
 * makes the token invalid, at verification). The value itself comes from JSON.parse once the text is
 * known to be clean, so that numbers, escapes and `__proto__` members come out exactly as JSON.parse
 * makes them (V8's JSON.parse does not recurse either).
 *
 * Which failure is reported when there are several: a syntax error first, then a raw control character
 * inside a string, then the first duplicated member name in document order.
 */
export function parseScenarioText(text: string): unknown {
  // Editors on some systems save UTF-8 with a byte order mark; it is not part of the JSON text.
  // Only one, and only at the very start: a BOM anywhere else is a syntax error.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  let control: { code: number; at: JsonPosition } | undefined;
  const duplicates = new DuplicateFinder();
  const reader = new JsonReader(duplicates, {
    onControlCharacter: (code, at) => {
      control ??= { code, at };
    },
  });
  try {
    reader.write(json);
    reader.end();
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new MalformedScenarioError('$', `not valid JSON: ${error.message}`);
    throw error;
  }
  if (control !== undefined) {
    const name = `U+${control.code.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new MalformedScenarioError('$', `not valid JSON: control character ${name} must be escaped inside a string at line ${control.at.line} column ${control.at.column}`);
  }
  if (duplicates.first !== undefined) throw duplicates.first;
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    // Not expected once the reader accepted the text.
    throw new MalformedScenarioError('$', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Follows the JSON path of every value and keeps the first member name an object already has. The
 * open containers are parallel stacks of plain values (no object per level: a file may nest millions deep).
 */
class DuplicateFinder {
  first: MalformedScenarioError | undefined;
  /** Per open container: the member names seen (an object) or null (an array). */
  private readonly seen: (Set<string> | null)[] = [];
  /** Per open container: the current member name (an object) or element index (an array). */
  private readonly at: PathSegment[] = [];

  startObject(): void {
    this.enterValue();
    this.seen.push(new Set());
    this.at.push('');
  }

  startArray(): void {
    this.enterValue();
    this.seen.push(null);
    this.at.push(-1);
  }

  endObject(): void {
    this.seen.pop();
    this.at.pop();
  }

  endArray(): void {
    this.seen.pop();
    this.at.pop();
  }

  value(): void {
    this.enterValue();
  }

  key(name: string | typeof TOO_LONG): void {
    const top = this.seen.length - 1;
    const seen = this.seen[top] as Set<string>;
    const text = name === TOO_LONG ? '' : name;
    this.at[top] = text;
    if (this.first === undefined && seen.has(text)) {
      this.first = new MalformedScenarioError(formatPath(this.at), `member ${quote(text)} is given twice`);
    }
    seen.add(text);
  }

  /** A value begins: an array counts it. */
  private enterValue(): void {
    const top = this.at.length - 1;
    if (top >= 0 && this.seen[top] === null) this.at[top] = (this.at[top] as number) + 1;
  }
}
