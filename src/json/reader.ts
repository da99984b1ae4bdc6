/**
 * A strict, streaming JSON reader (RFC 8259) that never recurses: the text is fed in chunks of any
 * size (`write`, then `end`) and each token is reported to a handler with its position (line and
 * column in UTF-16 code units, both 1-based; CR, LF and CRLF end a line), so that nesting depth is
 * bounded only by memory and a file of any size is read in constant memory (strings and numbers
 * longer than `maxTokenLength` are scanned but not kept).
 *
 * Used by the scenario parser (every depth a token can carry; errors where they are, end of input
 * included) and by the JSON import (one user at a time, with its line and column).
 */

export interface JsonPosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units from the start of the line. */
  readonly column: number;
  /** 0-based offset in UTF-16 code units from the start of the input. */
  readonly offset: number;
}

/** A string or number longer than the reader's `maxTokenLength`: scanned, not kept. */
export const TOO_LONG: unique symbol = Symbol('too long');

export type JsonPrimitive = string | number | boolean | null | typeof TOO_LONG;

export interface JsonHandler {
  startObject?(at: JsonPosition): void;
  endObject?(at: JsonPosition): void;
  startArray?(at: JsonPosition): void;
  endArray?(at: JsonPosition): void;
  /** A member name (unescaped), at its opening quote. */
  key?(name: string | typeof TOO_LONG, at: JsonPosition): void;
  /** A string, number, true, false or null, at its first character. */
  value?(value: JsonPrimitive, at: JsonPosition): void;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly at: JsonPosition,
  ) {
    super(`${detail} at line ${at.line} column ${at.column}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonReaderOptions {
  /** Strings and numbers longer than this (in code units) are reported as TOO_LONG. Default: no limit. */
  readonly maxTokenLength?: number;
  /**
   * Called for a raw control character (U+0000-U+001F) inside a string, which JSON forbids. By default
   * it is a syntax error; a caller that wants to report it after other syntax errors records it here
   * and the reader goes on.
   */
  readonly onControlCharacter?: (code: number, at: JsonPosition) => void;
}

const enum State {
  /** A value must come (the start, after `:`, after `,` in an array). */
  Value,
  /** After `[`: a value or `]`. */
  ArrayFirst,
  /** After a value in an array: `,` or `]`. */
  ArrayNext,
  /** After `{`: a member name or `}`. */
  ObjectFirst,
  /** After `,` in an object: a member name. */
  Key,
  /** After a member name: `:`. */
  Colon,
  /** After a value in an object: `,` or `}`. */
  ObjectNext,
  /** After the top-level value: only white space. */
  Done,
}

const enum Lexeme {
  None,
  String,
  Number,
  Literal,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NUMBER_SYNTAX = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** `'x'` for a visible character, `U+00A0` for spaces, controls and the like. */
export function describeCharacter(char: string): string {
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)) return `'${char}'`;
  return `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

export class JsonReader {
  private state: State = State.Value;
  /** Open containers, one bit each (1 an object, 0 an array): a file nested a billion deep takes 128 MB, not 8 GB. */
  private bits = new Uint32Array(64);
  private open = 0;

  // Position of the next character.
  private line = 1;
  private lineStart = 0;
  private offset = 0;
  private lastWasCR = false;

  // The token being read, across chunks.
  private lexeme = Lexeme.None;
  private tokenAt: JsonPosition = { line: 1, column: 1, offset: 0 };
  private tokenIsKey = false;
  private text = '';
  private tooLong = false;
  private escape = false;
  /** Hex digits of a \u escape still to come (0 when none). */
  private unicodeLeft = 0;
  private unicode = '';

  private readonly maxTokenLength: number;

  constructor(
    private readonly handler: JsonHandler,
    private readonly options: JsonReaderOptions = {},
  ) {
    this.maxTokenLength = options.maxTokenLength ?? Infinity;
  }

  /** The position of the next character to be read. */
  position(): JsonPosition {
    return { line: this.line, column: this.offset - this.lineStart + 1, offset: this.offset };
  }

  /** The depth of open containers (0 at the top level). */
  get depth(): number {
    return this.open;
  }

  private push(object: boolean): void {
    const word = this.open >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(this.bits.length * 2);
      grown.set(this.bits);
      this.bits = grown;
    }
    const bit = 1 << (this.open & 31);
    this.bits[word] = object ? (this.bits[word] as number) | bit : (this.bits[word] as number) & ~bit;
    this.open++;
  }

  /** Whether the innermost open container is an object (undefined at the top level). */
  private top(): boolean | undefined {
    if (this.open === 0) return undefined;
    const index = this.open - 1;
    return (((this.bits[index >>> 5] as number) >>> (index & 31)) & 1) === 1;
  }

  write(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.lexeme === Lexeme.String) {
        i = this.readString(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (this.lexeme !== Lexeme.None) {
        // A number or a literal goes on while its characters do.
        if (this.lexeme === Lexeme.Number ? isNumberChar(c) : c >= 0x61 && c <= 0x7a) {
          this.append(chunk[i] as string);
          this.advance(c);
          i++;
          continue;
        }
        this.finishBareToken();
      }
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.advance(c);
        i++;
        continue;
      }
      this.structural(chunk, i, c);
      this.advance(c);
      i++;
    }
  }

  /** The input is complete: a token or container left open is an error (at the end of the input). */
  end(): void {
    if (this.lexeme === Lexeme.String) throw this.error(this.unicodeLeft > 0 || this.escape ? 'unexpected end of input in an escape' : 'unterminated string', this.position());
    if (this.lexeme !== Lexeme.None) this.finishBareToken();
    if (this.state !== State.Done) throw this.error('unexpected end of input', this.position());
  }

  private advance(c: number): void {
    this.offset++;
    if (c === 0x0a) {
      if (!this.lastWasCR) this.line++;
      this.lineStart = this.offset;
      this.lastWasCR = false;
    } else if (c === 0x0d) {
      this.line++;
      this.lineStart = this.offset;
      this.lastWasCR = true;
    } else {
      this.lastWasCR = false;
    }
  }

  private here(): JsonPosition {
    return { line: this.line, column: this.offset - this.lineStart + 1, offset: this.offset };
  }

  private error(detail: string, at: JsonPosition): JsonSyntaxError {
    return new JsonSyntaxError(detail, at);
  }

  private unexpected(chunk: string, i: number): JsonSyntaxError {
    const code = chunk.codePointAt(i) as number;
    const char = String.fromCodePoint(code);
    const what: Readonly<Record<string, string>> = { '{': "'{'", '}': "'}'", '[': "'['", ']': "']'", ':': "':'", ',': "','" };
    return this.error(what[char] !== undefined ? `unexpected ${what[char]}` : `unexpected character ${describeCharacter(char)}`, this.here());
  }

  private append(text: string): void {
    if (this.tooLong) return;
    if (this.text.length + text.length > this.maxTokenLength) {
      this.tooLong = true;
      this.text = '';
      return;
    }
    this.text += text;
  }

  private structural(chunk: string, i: number, c: number): void {
    const at = this.here();
    switch (this.state) {
      case State.Value:
      case State.ArrayFirst:
        if (c === 0x5d && this.state === State.ArrayFirst) return this.close(false, at);
        return this.beginValue(chunk, i, c, at);
      case State.ObjectFirst:
      case State.Key:
        if (c === 0x7d && this.state === State.ObjectFirst) return this.close(true, at);
        if (c !== QUOTE) throw this.unexpected(chunk, i);
        this.beginString(at, true);
        return;
      case State.Colon:
        if (c !== 0x3a) throw this.unexpected(chunk, i);
        this.state = State.Value;
        return;
      case State.ArrayNext:
        if (c === 0x2c) {
          this.state = State.Value;
          return;
        }
        if (c === 0x5d) return this.close(false, at);
        throw this.unexpected(chunk, i);
      case State.ObjectNext:
        if (c === 0x2c) {
          this.state = State.Key;
          return;
        }
        if (c === 0x7d) return this.close(true, at);
        throw this.unexpected(chunk, i);
      case State.Done:
        throw this.unexpected(chunk, i);
    }
  }

  private beginValue(chunk: string, i: number, c: number, at: JsonPosition): void {
    if (c === 0x7b) {
      this.push(true);
      this.state = State.ObjectFirst;
      this.handler.startObject?.(at);
    } else if (c === 0x5b) {
      this.push(false);
      this.state = State.ArrayFirst;
      this.handler.startArray?.(at);
    } else if (c === QUOTE) {
      this.beginString(at, false);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.beginBare(Lexeme.Number, chunk[i] as string, at);
    } else if (c >= 0x61 && c <= 0x7a) {
      this.beginBare(Lexeme.Literal, chunk[i] as string, at);
    } else {
      throw this.unexpected(chunk, i);
    }
  }

  private beginString(at: JsonPosition, isKey: boolean): void {
    this.lexeme = Lexeme.String;
    this.tokenAt = at;
    this.tokenIsKey = isKey;
    this.text = '';
    this.tooLong = false;
    this.escape = false;
    this.unicodeLeft = 0;
  }

  private beginBare(lexeme: Lexeme, first: string, at: JsonPosition): void {
    this.lexeme = lexeme;
    this.tokenAt = at;
    this.text = first;
    this.tooLong = false;
  }

  /** Reads string characters from `i`; returns where it stopped (the string may go on in the next chunk). */
  private readString(chunk: string, i: number): number {
    const n = chunk.length;
    while (i < n) {
      if (this.unicodeLeft > 0) {
        const c = chunk.charCodeAt(i);
        const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
        if (!hex) throw this.error(`invalid \\u escape: ${describeCharacter(chunk[i] as string)} is not a hex digit`, this.here());
        this.unicode += chunk[i];
        this.advance(c);
        i++;
        if (--this.unicodeLeft === 0) this.append(String.fromCharCode(parseInt(this.unicode, 16)));
        continue;
      }
      if (this.escape) {
        const char = chunk[i] as string;
        this.escape = false;
        if (char === 'u') {
          this.unicodeLeft = 4;
          this.unicode = '';
        } else {
          const unescaped = ESCAPES[char];
          if (unescaped === undefined) throw this.error(`invalid escape '\\${char}'`, this.here());
          this.append(unescaped);
        }
        this.advance(chunk.charCodeAt(i));
        i++;
        continue;
      }
      // Plain characters up to the next quote, backslash or control character, in one slice.
      let j = i;
      let c = 0;
      while (j < n) {
        c = chunk.charCodeAt(j);
        if (c === QUOTE || c === BACKSLASH || c < 0x20) break;
        j++;
      }
      if (j > i) {
        this.append(chunk.slice(i, j));
        this.offset += j - i;
        this.lastWasCR = false;
        i = j;
      }
      if (i >= n) return i;
      if (c === QUOTE) {
        this.advance(c);
        this.finishString();
        return i + 1;
      }
      if (c === BACKSLASH) {
        this.escape = true;
        this.advance(c);
        i++;
        continue;
      }
      // A raw control character.
      const at = this.here();
      if (this.options.onControlCharacter === undefined) {
        throw this.error(`control character U+${c.toString(16).toUpperCase().padStart(4, '0')} must be escaped inside a string`, at);
      }
      this.options.onControlCharacter(c, at);
      this.append(chunk[i] as string);
      this.advance(c);
      i++;
    }
    return i;
  }

  private finishString(): void {
    this.lexeme = Lexeme.None;
    const value = this.tooLong ? TOO_LONG : this.text;
    this.text = '';
    if (this.tokenIsKey) {
      this.state = State.Colon;
      this.handler.key?.(value, this.tokenAt);
    } else {
      this.afterValue();
      this.handler.value?.(value, this.tokenAt);
    }
  }

  private finishBareToken(): void {
    const lexeme = this.lexeme;
    this.lexeme = Lexeme.None;
    const text = this.text;
    this.text = '';
    let value: JsonPrimitive;
    if (lexeme === Lexeme.Number) {
      if (this.tooLong) value = TOO_LONG;
      else if (!NUMBER_SYNTAX.test(text)) throw this.error(`invalid number ${JSON.stringify(text.slice(0, 32))}`, this.tokenAt);
      else value = Number(text);
    } else if (text === 'true') value = true;
    else if (text === 'false') value = false;
    else if (text === 'null') value = null;
    else throw this.error(`unexpected character ${describeCharacter(text.charAt(0))}`, this.tokenAt);
    this.afterValue();
    this.handler.value?.(value, this.tokenAt);
  }

  private afterValue(): void {
    const top = this.top();
    this.state = top === undefined ? State.Done : top ? State.ObjectNext : State.ArrayNext;
  }

  private close(object: boolean, at: JsonPosition): void {
    this.open--;
    this.afterValue();
    if (object) this.handler.endObject?.(at);
    else this.handler.endArray?.(at);
  }
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x65 || c === 0x45;
}
