import { parse as parseJsonTree } from '@humanwhocodes/momoa';
import type { ValueNode } from '@humanwhocodes/momoa';
import { MalformedScenarioError } from '../errors';
import { quote } from '../quote';
import { formatPath, type PathSegment } from './path';

/**
 * Reads a scenario file as strict JSON (`replay.md`): syntax errors are reported with their line and
 * column, and a member name given twice anywhere in the file (inside `claims` and `header` too, names
 * compared after unescaping) makes the file malformed instead of letting the last one win.
 *
 * The tree parser (momoa) gives member names and locations; the value itself comes from JSON.parse
 * once the text is known to be clean, so that numbers, escapes and `__proto__` members come out
 * exactly as JSON.parse makes them.
 */
export function parseScenarioText(text: string): unknown {
  // Editors on some systems save UTF-8 with a byte order mark; it is not part of the JSON text.
  // Only one, and only at the very start: a BOM anywhere else is a syntax error.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  let root: ValueNode;
  try {
    root = parseJsonTree(json, { mode: 'json' }).body;
  } catch (error) {
    throw syntaxError(json, error);
  }
  findRawControlCharacter(json);
  try {
    findDuplicateMember(root, []);
  } catch (error) {
    if (error instanceof RangeError) throw new MalformedScenarioError('$', 'nested too deeply to read');
    throw error;
  }
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    // Not expected once the tree parser and the control-character scan accepted the text.
    throw new MalformedScenarioError('$', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const TOKEN_TEXT: Record<string, string> = {
  LBrace: "'{'",
  RBrace: "'}'",
  LBracket: "'['",
  RBracket: "']'",
  Colon: "':'",
  Comma: "','",
  String: 'a string',
  Number: 'a number',
  Boolean: 'a boolean',
  Null: 'null',
};

interface LocatedError {
  readonly message: string;
  readonly line?: unknown;
  readonly column?: unknown;
  readonly offset?: unknown;
}

function syntaxError(json: string, error: unknown): MalformedScenarioError {
  if (error instanceof RangeError) return new MalformedScenarioError('$', 'nested too deeply to read');
  const located = (error instanceof Error ? error : new Error(String(error))) as LocatedError;
  let what = located.message.replace(/\s*\(\d+:\d+\)$/, '');
  const char = /^Unexpected character '.*' found\.$/s.test(what);
  if (char && typeof located.offset === 'number') {
    what = `unexpected character ${describeCharacter(json, located.offset)}`;
  } else {
    what = what
      .replace(/^Unexpected token (\w+) found\.$/, (_all, type: string) => `unexpected ${TOKEN_TEXT[type] ?? type}`)
      .replace(/ found\.$/, '')
      .replace(/\.$/, '');
    what = what.charAt(0).toLowerCase() + what.slice(1);
  }
  if (typeof located.line === 'number' && typeof located.column === 'number') {
    return new MalformedScenarioError('$', `not valid JSON: ${what} at line ${located.line} column ${located.column}`);
  }
  return new MalformedScenarioError('$', `not valid JSON: ${what}`);
}

/** `'x'` for a visible character, `U+00A0` for spaces, controls and the like. */
function describeCharacter(json: string, offset: number): string {
  const code = json.codePointAt(offset);
  if (code === undefined) return 'at end of input';
  const char = String.fromCodePoint(code);
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)) return `'${char}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** JSON forbids U+0000-U+001F unescaped inside a string; the tree parser lets them through. */
function findRawControlCharacter(json: string): void {
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (!inString) {
      if (code === 0x22) inString = true;
    } else if (code === 0x5c) {
      i++; // the escaped character (the tree parser has checked the escape)
    } else if (code === 0x22) {
      inString = false;
    } else if (code < 0x20) {
      const { line, column } = lineAndColumn(json, i);
      const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new MalformedScenarioError(
        '$',
        `not valid JSON: control character ${name} must be escaped inside a string at line ${line} column ${column}`,
      );
    }
  }
}

/** 1-based line and column (in UTF-16 code units) of `offset`; CR, LF and CRLF end a line. */
function lineAndColumn(json: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const code = json.charCodeAt(i);
    if (code === 0x0a || (code === 0x0d && json.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Walks the tree in document order and reports the first member name that its object already has. */
function findDuplicateMember(node: ValueNode, path: PathSegment[]): void {
  if (node.type === 'Object') {
    const seen = new Set<string>();
    for (const member of node.members) {
      const name = member.name.type === 'String' ? member.name.value : member.name.name;
      path.push(name);
      if (seen.has(name)) {
        throw new MalformedScenarioError(formatPath(path), `member ${quote(name)} is given twice`);
      }
      seen.add(name);
      findDuplicateMember(member.value, path);
      path.pop();
    }
  } else if (node.type === 'Array') {
    node.elements.forEach((element, index) => {
      path.push(index);
      findDuplicateMember(element.value, path);
      path.pop();
    });
  }
}
