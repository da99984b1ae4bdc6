import { evaluate, parse as parseJsonAst } from '@humanwhocodes/momoa';
import { parse as parseCsv } from 'csv-parse/sync';
import { settingIdOf } from '../domain';
import { InvalidImportError } from '../errors';
import { decideImportRow, type ImportRefusal, type ImportRow } from '../policy/import';
import type { Store } from '../store/store';

/** A row the file reader could not turn into a user (a wrong shape): refused with its line, like any other. */
export interface MalformedRow {
  readonly line: number;
  readonly malformed: string;
}

export type ReadRow = ImportRow | MalformedRow;

export interface ImportRowResult {
  readonly line: number;
  readonly outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  /** The user the row created or completed. */
  readonly user: string | null;
  readonly error?: { readonly code: ImportRefusal; readonly message: string };
}

export interface ImportReport {
  readonly batch: string;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly rows: readonly ImportRowResult[];
}

export const CSV_COLUMNS = ['external_id', 'name', 'verified_emails', 'unverified_emails'] as const;

/**
 * Reads a CSV import: a header naming some of `external_id`, `name`, `verified_emails`,
 * `unverified_emails` (each at most once, any order), then one user per record. Address lists are
 * separated by spaces (a usable address holds no white space). An empty cell is no value.
 */
export function readCsvImport(text: string): ReadRow[] {
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parseCsv(text, { info: true, raw: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    throw new InvalidImportError(`not a readable CSV file: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new InvalidImportError('the CSV file is empty; it needs a header row');
  const columns = header.record.map((name) => name.trim());
  columns.forEach((name, index) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      throw new InvalidImportError(`line 1: unknown column "${name}"; the columns are ${CSV_COLUMNS.join(', ')}`);
    }
    if (columns.indexOf(name) !== index) throw new InvalidImportError(`line 1: column "${name}" is given twice`);
  });
  return rows.map(({ record, raw, info }): ReadRow => {
    // `raw` carries the empty lines skipped before the record and its own line break: neither counts.
    const line = info.lines - countNewlines(raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, ''));
    if (record.length !== columns.length) {
      return { line, malformed: `expected ${columns.length} fields, found ${record.length}` };
    }
    const cell = (name: (typeof CSV_COLUMNS)[number]): string | null => {
      const index = columns.indexOf(name);
      const value = index < 0 ? '' : (record[index] as string);
      return value === '' ? null : value;
    };
    const list = (name: (typeof CSV_COLUMNS)[number], verified: boolean) =>
      (cell(name) ?? '').split(' ').filter((address) => address !== '').map((address) => ({ address, verified }));
    return {
      line,
      externalId: cell('external_id'),
      name: cell('name'),
      emails: [...list('verified_emails', true), ...list('unverified_emails', false)],
    };
  });
}

/**
 * Reads a JSON import: an array of `{ "externalId", "name", "emails": [{ "address", "verified" }] }`
 * (the shape of a scenario's starting users, without `ref`). A row of another shape is refused with
 * its line; a file that is not such an array is refused whole.
 */
export function readJsonImport(text: string): ReadRow[] {
  let ast;
  try {
    ast = parseJsonAst(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InvalidImportError(`not valid JSON: ${(error as Error).message}`);
  }
  if (ast.body.type !== 'Array') throw new InvalidImportError('a JSON import is an array of users');
  return ast.body.elements.map(({ value: node }): ReadRow => {
    const line = node.loc.start.line;
    if (node.type !== 'Object') return { line, malformed: 'a user is a JSON object' };
    const names = node.members.map((member) => member.name.type === 'String' ? member.name.value : member.name.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) return { line, malformed: `member "${repeated}" is given twice` };
    const user = evaluate(node) as Record<string, unknown>;
    return checkJsonUser(line, user);
  });
}

function checkJsonUser(line: number, user: Record<string, unknown>): ReadRow {
  const unknown = Object.keys(user).find((name) => !['externalId', 'name', 'emails'].includes(name));
  if (unknown !== undefined) return { line, malformed: `"${unknown}" is not a member of an imported user` };
  const { externalId = null, name = null, emails = [] } = user;
  if (externalId !== null && typeof externalId !== 'string') return { line, malformed: 'externalId: expected a string or null' };
  if (name !== null && typeof name !== 'string') return { line, malformed: 'name: expected a string or null' };
  if (!Array.isArray(emails)) return { line, malformed: 'emails: expected an array' };
  for (const [index, email] of emails.entries()) {
    const entry = email as Record<string, unknown>;
    const shapeOk =
      typeof email === 'object' && email !== null && !Array.isArray(email) &&
      Object.keys(entry).every((member) => member === 'address' || member === 'verified') &&
      typeof entry.address === 'string' && typeof entry.verified === 'boolean';
    if (!shapeOk) return { line, malformed: `emails[${index}]: expected { "address": <string>, "verified": <boolean> }` };
  }
  return { line, externalId, name, emails: emails as ImportRow['emails'] };
}

/**
 * ADMIN-IMPORT: applies every row in its own savepoint inside one transaction. A refused row writes
 * nothing; the others are imported. Row `n` of batch `b` is logged as event `b:n`, and a user it
 * creates is `new:b:n`. A batch label already used in this store is refused before anything is written.
 */
export function importUsers(store: Store, rows: readonly ReadRow[], batch: string): ImportReport {
  if (batch.length === 0) throw new InvalidImportError('the batch label is empty');
  if (store.hasEventWithPrefix(`${batch}:`)) {
    throw new InvalidImportError(`batch "${batch}" was imported into this store already; give another batch label`);
  }
  const results = store.transaction(() =>
    rows.map((row): ImportRowResult => {
      if ('malformed' in row) return refused(row.line, 'row-malformed', row.malformed);
      return store.transaction(() => {
        const decision = decideImportRow(store, row);
        if (!decision.accepted) return refused(row.line, decision.reason, decision.message);
        const input = { type: 'import', batch, line: row.line, column: null, row: { externalId: row.externalId, name: row.name, emails: row.emails } } as const;
        const user = store.apply(`${batch}:${row.line}`, input, settingIdOf(store.settings()), decision.decision);
        return { line: row.line, outcome: decision.outcome, user };
      });
    }),
  );
  const count = (outcome: ImportRowResult['outcome']) => results.filter((row) => row.outcome === outcome).length;
  return { batch, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected'), rows: results };
}

function refused(line: number, code: ImportRefusal, message: string): ImportRowResult {
  return { line, outcome: 'rejected', user: null, error: { code, message } };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
