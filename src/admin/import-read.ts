import { parse as parseCsvStream, type Parser as CsvParser } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { InvalidImportError } from '../errors';
import { JsonReader, JsonSyntaxError, TOO_LONG, type JsonHandler, type JsonPosition, type JsonPrimitive } from '../json/reader';
import type { ImportRow } from '../policy/import';
import { quote } from '../quote';

/**
 * Reading import files (ADMIN-IMPORT, docs/decisions.md 19-20) row by row: a CSV file through
 * csv-parse's streaming parser, a JSON file through the project's streaming reader (src/json), both in
 * constant memory whatever the file's size, and a row of any nesting depth without recursion. Each row
 * carries where it starts: its line, and for JSON its column (several users may share a line).
 */

/** The most text one row may take (1 MiB): a longer one is refused as malformed and not kept in memory. */
export const MAX_ROW_CHARACTERS = 1024 * 1024;

/** Where a row starts in its file; `column` only for JSON (a CSV record starts a line; null or absent). */
export interface RowPosition {
  readonly line: number;
  readonly column?: number | null;
}

/** A row the reader could not turn into a user (a wrong shape): refused with its position, like any other. */
export interface MalformedRow extends RowPosition {
  readonly malformed: string;
}

export type ReadRow = (ImportRow & RowPosition) | MalformedRow;

export const CSV_COLUMNS = ['external_id', 'name', 'verified_emails', 'unverified_emails'] as const;

type CsvColumn = (typeof CSV_COLUMNS)[number];

interface CsvRecord {
  readonly record: string[];
  readonly raw: string;
  /** `bytes`: the offset (in characters) just after the record and its line break. */
  readonly info: { readonly lines: number; readonly bytes: number };
}

const CSV_OPTIONS = {
  info: true,
  raw: true,
  relax_column_count: true,
  skip_empty_lines: true,
  bom: true,
  max_record_size: MAX_ROW_CHARACTERS,
} as const;

/**
 * Line numbers of offsets in a text that is fed in pieces, keeping only what lies after the last
 * offset asked (offsets are asked in increasing order). CRLF, LF and a lone CR each end a line, as
 * editors count them (csv-parse's own count takes a CRLF inside quotes for two).
 */
class LineCounter {
  private text = '';
  private base = 0;
  private line = 1;

  feed(text: string): void {
    this.text += text;
  }

  /** The line of the first character at or after `offset` that is not a line break (a record's first line). */
  lineOf(offset: number): number {
    let i = Math.max(0, offset - this.base);
    while (i < this.text.length && (this.text.charCodeAt(i) === 0x0a || this.text.charCodeAt(i) === 0x0d)) i++;
    const text = this.text;
    let line = this.line;
    for (let k = 0; k < i; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(k + 1) !== 0x0a)) line++;
    }
    this.line = line;
    this.text = text.slice(i);
    this.base += i;
    return line;
  }
}

/** Turns CSV records into rows: the first is the header (a wrong header refuses the file). */
class CsvRows {
  private columns: string[] | undefined;

  constructor(private readonly lines: LineCounter) {}

  /** The line of a record starting at `offset` (empty lines before it skipped). */
  lineAtOffset(offset: number): number {
    return this.lines.lineOf(offset);
  }

  /** The row of a record, or undefined for the header. */
  accept({ record, raw, info }: CsvRecord): ReadRow | undefined {
    // `raw` is the record with the empty lines before it and its own line break; `bytes` where it ends.
    const line = this.lines.lineOf(info.bytes - raw.length);
    if (this.columns === undefined) {
      this.columns = readHeader(record);
      return undefined;
    }
    const columns = this.columns;
    if (record.length !== columns.length) {
      return { line, malformed: `expected ${columns.length} field${columns.length === 1 ? '' : 's'}, found ${record.length}` };
    }
    const cell = (name: CsvColumn): string | null => {
      const index = columns.indexOf(name);
      const value = index < 0 ? '' : (record[index] as string);
      return value === '' ? null : value;
    };
    const list = (name: CsvColumn, verified: boolean) =>
      (cell(name) ?? '')
        .split(' ')
        .filter((address) => address !== '')
        .map((address) => ({ address, verified }));
    return {
      line,
      externalId: cell('external_id'),
      name: cell('name'),
      emails: [...list('verified_emails', true), ...list('unverified_emails', false)],
    };
  }

  /** A file with no header at all. */
  finish(): void {
    if (this.columns === undefined) throw new InvalidImportError('the CSV file is empty; it needs a header row');
  }
}

function readHeader(record: string[]): string[] {
  const columns = record.map((name) => name.trim());
  columns.forEach((name, index) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      throw new InvalidImportError(`line 1: unknown column ${quote(name, 64)}; the columns are ${CSV_COLUMNS.join(', ')}`);
    }
    if (columns.indexOf(name) !== index) throw new InvalidImportError(`line 1: column ${quote(name)} is given twice`);
  });
  return columns;
}

function csvError(error: unknown): InvalidImportError {
  const lines = (error as { lines?: unknown }).lines;
  const where = typeof lines === 'number' ? `line ${lines}: ` : '';
  return new InvalidImportError(`${where}not a readable CSV file: ${escapeInvisible((error as Error).message)}`);
}

/**
 * csv-parse options that send records and unreadable records, in file order, to `queue` (the stream
 * or the returned array carries nothing). A record csv-parse cannot read is refused as malformed at
 * the line where it starts; an error of the header (thrown by CsvRows) is kept in `failure`.
 */
function csvOptions(rows: CsvRows, queue: ReadRow[], fail: (error: unknown) => void) {
  // Where the last record read ended, so where an unreadable one starts.
  let lastEnd = 0;
  return {
    ...CSV_OPTIONS,
    skip_records_with_error: true,
    on_skip: (error: Error | undefined): undefined => {
      if (error === undefined) return;
      // csv-parse's message names its own line count (a CRLF in quotes counted twice): left out.
      const what = escapeInvisible(error.message.replace(/ at line \d+/g, ''));
      queue.push({ line: rows.lineAtOffset(lastEnd), malformed: `not a readable CSV record: ${what}` });
    },
    on_record: (data: unknown) => {
      lastEnd = (data as CsvRecord).info.bytes;
      try {
        const row = rows.accept(data as CsvRecord);
        if (row !== undefined) queue.push(row);
      } catch (error) {
        fail(error);
      }
      return null;
    },
  };
}

/** Reads a whole CSV text (small files, tests); see CsvRows. */
export function readCsvImport(text: string): ReadRow[] {
  const lines = new LineCounter();
  lines.feed(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const rows = new CsvRows(lines);
  const queue: ReadRow[] = [];
  let failure: unknown;
  try {
    parseCsvSync(text, csvOptions(rows, queue, (error) => (failure ??= error)));
  } catch (error) {
    throw csvError(error);
  }
  if (failure !== undefined) throw failure;
  rows.finish();
  return queue;
}

/**
 * Reads CSV rows from text chunks as they come. A record csv-parse cannot read (an unclosed quote, a
 * record over 1 MiB) is refused as malformed with its line; a wrong header refuses the file
 * (InvalidImportError). Records and refusals come out in file order (csv-parse's `on_record` and
 * `on_skip` hooks feed one queue; the stream itself carries nothing), and a CR at the end of a chunk
 * waits for the next one, so that a CRLF is never split.
 */
export async function* readCsvRows(chunks: AsyncIterable<string>): AsyncGenerator<ReadRow> {
  const lines = new LineCounter();
  const rows = new CsvRows(lines);
  const queue: ReadRow[] = [];
  let failure: unknown;
  const parser: CsvParser = parseCsvStream(csvOptions(rows, queue, (error) => (failure ??= error)));
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('end', resolve);
    parser.resume();
  });
  ended.catch(() => undefined);
  const feed = (text: string): void => {
    parser.write(text);
    if (failure !== undefined) throw failure;
  };
  let held = '';
  let first = true;
  try {
    for await (const chunk of chunks) {
      let text = held + chunk;
      held = '';
      if (text.endsWith('\r')) {
        held = '\r';
        text = text.slice(0, -1);
      }
      if (first && text.length > 0) {
        // csv-parse drops a leading byte order mark (`bom`); the line counter must not see it either.
        lines.feed(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
        first = false;
      } else {
        lines.feed(text);
      }
      feed(text);
      yield* queue.splice(0);
    }
    if (held !== '') {
      lines.feed(held);
      feed(held);
    }
    parser.end();
    await ended;
  } catch (error) {
    parser.destroy();
    if (error instanceof InvalidImportError || !String((error as { code?: unknown }).code).startsWith('CSV_')) throw error;
    throw csvError(error);
  }
  if (failure !== undefined) throw failure;
  yield* queue.splice(0);
  rows.finish();
}

// ---------------------------------------------------------------------------------------------------
// JSON

/**
 * Builds the JSON import's rows from the reader's tokens: the top level must be an array; each element
 * is one user, built iteratively (no recursion, any depth), with its line and column. A member name
 * given twice anywhere inside a user, a value or a user longer than 1 MiB, or a wrong shape refuses
 * that user only.
 */
class JsonRows implements JsonHandler {
  readonly ready: ReadRow[] = [];
  private depth = 0;
  private started = false;
  // The user being built.
  private at: JsonPosition | undefined;
  private problem: string | undefined;
  private readonly containers: (Record<string, unknown> | unknown[])[] = [];
  private readonly names: (string | undefined)[] = [];
  private readonly paths: (string | number)[] = [];
  private root: unknown;
  /** Inside a user already refused: only the depth is followed, nothing is kept. */
  private skipping = 0;

  constructor(private readonly reader: () => JsonReader) {}

  startObject(at: JsonPosition): void {
    if (this.skipping > 0) {
      this.skipping++;
      return;
    }
    this.open(at, Object.create(null) as Record<string, unknown>);
  }

  startArray(at: JsonPosition): void {
    if (this.skipping > 0) {
      this.skipping++;
      return;
    }
    if (this.depth === 0) {
      this.started = true;
      this.depth = 1;
      return;
    }
    this.open(at, []);
  }

  endObject(): void {
    this.close();
  }

  endArray(): void {
    if (this.depth === 1 && this.skipping === 0 && this.containers.length === 0) {
      this.depth = 0;
      return;
    }
    this.close();
  }

  key(name: string | typeof TOO_LONG): void {
    if (this.skipping > 0) return;
    const top = this.containers.length - 1;
    const container = this.containers[top] as Record<string, unknown>;
    if (name === TOO_LONG) return this.fail('a member name longer than 1 MiB');
    if (Object.hasOwn(container, name)) return this.fail(`${this.pathText()}member ${quote(name, 64)} is given twice`);
    this.names[top] = name;
  }

  value(value: JsonPrimitive, at: JsonPosition): void {
    if (this.skipping > 0) return;
    if (this.depth === 0) throw new InvalidImportError('a JSON import is an array of users');
    if (this.containers.length === 0) {
      // An element that is not an object: a user of the wrong shape.
      this.ready.push({ line: at.line, column: at.column, malformed: 'a user is a JSON object' });
      return;
    }
    if (value === TOO_LONG) this.fail('a value longer than 1 MiB');
    else this.put(value);
  }

  private open(at: JsonPosition, container: Record<string, unknown> | unknown[]): void {
    if (this.depth === 0) throw new InvalidImportError('a JSON import is an array of users');
    if (this.containers.length === 0) {
      this.at = at;
      this.problem = undefined;
      this.root = container;
    } else {
      this.put(container);
    }
    this.containers.push(container);
    this.names.push(undefined);
    this.paths.push(Array.isArray(container) ? -1 : '');
  }

  private put(value: unknown): void {
    const top = this.containers.length - 1;
    const container = this.containers[top] as Record<string, unknown> | unknown[];
    if (Array.isArray(container)) {
      container.push(value);
      this.paths[top] = container.length - 1;
    } else {
      const name = this.names[top] as string;
      Object.defineProperty(container, name, { value, writable: true, enumerable: true, configurable: true });
      this.paths[top] = name;
    }
    this.checkSize();
  }

  private close(): void {
    if (this.skipping > 0) {
      if (--this.skipping > 0) return;
      const at = this.at as JsonPosition;
      this.ready.push({ line: at.line, column: at.column, malformed: this.problem as string });
      this.root = undefined;
      return;
    }
    this.containers.pop();
    this.names.pop();
    this.paths.pop();
    if (this.containers.length > 0) return;
    const at = this.at as JsonPosition;
    if (this.problem !== undefined) this.ready.push({ line: at.line, column: at.column, malformed: this.problem });
    else if (Array.isArray(this.root)) this.ready.push({ line: at.line, column: at.column, malformed: 'a user is a JSON object' });
    else this.ready.push(checkJsonUser(at, this.root as Record<string, unknown>));
    this.root = undefined;
  }

  private checkSize(): void {
    if (this.problem === undefined && this.reader().position().offset - (this.at as JsonPosition).offset > MAX_ROW_CHARACTERS) {
      this.fail('a user longer than 1 MiB');
    }
  }

  /** Refuses the user being built: from here on only its depth is followed, and what was built is dropped. */
  private fail(problem: string): void {
    if (this.problem !== undefined) return;
    this.problem = problem;
    this.skipping = this.containers.length;
    this.containers.length = 0;
    this.names.length = 0;
    this.paths.length = 0;
    this.root = undefined;
  }

  /** `emails[0]: ` for a name inside the first email entry (the user's own members: no prefix). */
  private pathText(): string {
    const segments = this.paths.slice(0, -1);
    let out = '';
    for (const segment of segments) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
    return out === '' ? '' : `${out}: `;
  }

  finish(): void {
    if (!this.started) throw new InvalidImportError('a JSON import is an array of users');
  }
}

function checkJsonUser(at: JsonPosition, user: Record<string, unknown>): ReadRow {
  const position = { line: at.line, column: at.column };
  const malformed = (problem: string): MalformedRow => ({ ...position, malformed: problem });
  const unknown = Object.keys(user).find((name) => !['externalId', 'name', 'emails'].includes(name));
  if (unknown !== undefined) return malformed(`${quote(unknown, 64)} is not a member of an imported user`);
  const externalId = user.externalId ?? null;
  const name = user.name ?? null;
  const emails = user.emails ?? [];
  if (externalId !== null && typeof externalId !== 'string') return malformed('externalId: expected a string or null');
  if (name !== null && typeof name !== 'string') return malformed('name: expected a string or null');
  if (!Array.isArray(emails)) return malformed('emails: expected an array');
  const entries: { address: string; verified: boolean }[] = [];
  for (const [index, email] of emails.entries()) {
    const entry = email as Record<string, unknown>;
    const shapeOk =
      typeof email === 'object' &&
      email !== null &&
      !Array.isArray(email) &&
      Object.keys(entry).every((member) => member === 'address' || member === 'verified') &&
      typeof entry.address === 'string' &&
      typeof entry.verified === 'boolean';
    if (!shapeOk) return malformed(`emails[${index}]: expected { "address": <string>, "verified": <boolean> }`);
    entries.push({ address: entry.address as string, verified: entry.verified as boolean });
  }
  return { ...position, externalId, name, emails: entries };
}

function jsonError(error: unknown): unknown {
  if (!(error instanceof JsonSyntaxError)) return error;
  return new InvalidImportError(`line ${error.at.line} column ${error.at.column}: not valid JSON: ${error.detail}`);
}

/** Reads a whole JSON text (small files, tests); see JsonRows. */
export function readJsonImport(text: string): ReadRow[] {
  let reader: JsonReader | undefined;
  const rows = new JsonRows(() => reader as JsonReader);
  reader = new JsonReader(rows, { maxTokenLength: MAX_ROW_CHARACTERS });
  try {
    reader.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    reader.end();
  } catch (error) {
    throw jsonError(error);
  }
  rows.finish();
  return rows.ready;
}

/** Reads JSON rows from text chunks as they come (a leading byte order mark is ignored). */
export async function* readJsonRows(chunks: AsyncIterable<string>): AsyncGenerator<ReadRow> {
  let reader: JsonReader | undefined;
  const rows = new JsonRows(() => reader as JsonReader);
  reader = new JsonReader(rows, { maxTokenLength: MAX_ROW_CHARACTERS });
  let first = true;
  try {
    for await (let chunk of chunks) {
      if (first && chunk.length > 0) {
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        first = false;
      }
      reader.write(chunk);
      yield* rows.ready.splice(0);
    }
    reader.end();
  } catch (error) {
    throw jsonError(error);
  }
  yield* rows.ready.splice(0);
  rows.finish();
}


/** Control and invisible characters of a library's message as \u escapes, so that a message stays one visible line. */
function escapeInvisible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
}
