import { settingIdOf, type EventInput } from '../domain';
import { InvalidImportError } from '../errors';
import { decideImportRow, type ImportRefusal } from '../policy/import';
import { quote } from '../quote';
import type { Store } from '../store/store';
import type { ReadRow } from './import-read';

export { CSV_COLUMNS, MAX_ROW_CHARACTERS, readCsvImport, readCsvRows, readJsonImport, readJsonRows, type MalformedRow, type ReadRow, type RowPosition } from './import-read';

/**
 * ADMIN-IMPORT (docs/decisions.md 19-20): rows applied in file order, each decided by the policy
 * (`decideImportRow`) on the store as it then stands, and logged as one event. Row refs cannot collide:
 * a CSV record is `<batch>:<line>`, a JSON user `<batch>:<line>:<column>` (a batch label holds no `:`),
 * and a user a row creates is `new:<row ref>`.
 *
 * Re-running a batch is idempotent: a row whose ref the store has logged already is skipped when it
 * says the same, and refused (`row-changed`) when it does not; so an import that was interrupted (its
 * finished batches committed) is resumed by running it again.
 */

export type RowRefusal = ImportRefusal | 'row-changed';

export interface ImportRowResult {
  readonly line: number;
  /** JSON rows only: the column where the user starts. */
  readonly column?: number;
  readonly outcome: 'created' | 'updated' | 'unchanged' | 'skipped' | 'rejected';
  /** The user the row created or completed (or, skipped, the one it did earlier). */
  readonly user: string | null;
  readonly error?: { readonly code: RowRefusal; readonly message: string };
}

export interface ImportCounts {
  readonly batch: string;
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Rows an earlier run of this batch imported already. */
  readonly skipped: number;
  readonly rejected: number;
}

/** The whole report of a small import (features, examples, tests): every row's result. */
export interface ImportReport {
  readonly batch: string;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly rejected: number;
  readonly rows: readonly ImportRowResult[];
}

/** Checks a batch label: non-empty, no `:` (which separates it from the row's position in refs). */
export function checkBatchLabel(batch: string): void {
  if (batch.length === 0) throw new InvalidImportError('the batch label is empty');
  if (batch.includes(':')) throw new InvalidImportError(`the batch label ${quote(batch)} contains ":"; give one without (--batch)`);
}

/** The default batch label of a file: its name without extension, `:` replaced. */
export function defaultBatchLabel(file: string): string {
  if (file === '-') return 'stdin';
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.replace(/\.[^.]*$/, '').replace(/:/g, '_') || 'import';
}

/** The event ref of a row: `<batch>:<line>` for CSV, `<batch>:<line>:<column>` for JSON. */
export function rowRef(batch: string, row: { line: number; column?: number | null }): string {
  return row.column === null || row.column === undefined ? `${batch}:${row.line}` : `${batch}:${row.line}:${row.column}`;
}

/** Applies one row (call inside a transaction): its own savepoint, so a refused row writes nothing. */
function applyRow(store: Store, batch: string, row: ReadRow): ImportRowResult {
  const column = row.column ?? null;
  const position = column === null ? { line: row.line } : { line: row.line, column };
  const refuse = (code: RowRefusal, message: string): ImportRowResult => ({ ...position, outcome: 'rejected', user: null, error: { code, message } });
  if ('malformed' in row) return refuse('row-malformed', row.malformed);
  const ref = rowRef(batch, row);
  const input: EventInput = {
    type: 'import',
    batch,
    line: row.line,
    column,
    row: { externalId: row.externalId, name: row.name, emails: row.emails.map(({ address, verified }) => ({ address, verified })) },
  };
  const logged = store.loggedInput(ref);
  if (logged !== undefined) {
    if (JSON.stringify(logged) !== JSON.stringify(input)) {
      return refuse('row-changed', `an earlier import of batch ${quote(batch)} logged another row at this place (${quote(ref)}); give another --batch`);
    }
    const created = store.userByRef(`new:${ref}`);
    return { ...position, outcome: 'skipped', user: created?.ref ?? null };
  }
  return store.transaction(() => {
    const decision = decideImportRow(store, row);
    if (!decision.accepted) return refuse(decision.reason, decision.message);
    const user = store.apply(ref, input, settingIdOf(store.settings()), decision.decision);
    return { ...position, outcome: decision.outcome, user };
  });
}

/**
 * A small import in one transaction (features, examples, tests): every row's result. Large files go
 * through `importRows`, which streams.
 */
export function importUsers(store: Store, rows: Iterable<ReadRow>, batch: string): ImportReport {
  checkBatchLabel(batch);
  const results = store.transaction(() => [...rows].map((row) => applyRow(store, batch, row)));
  const count = (outcome: ImportRowResult['outcome']) => results.filter((row) => row.outcome === outcome).length;
  return {
    batch,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    rejected: count('rejected'),
    rows: results,
  };
}

export interface ImportRowsOptions {
  readonly batch: string;
  /** Rows per transaction (default 1000): each commit keeps what is done, and lets other writers in. */
  readonly rowsPerCommit?: number;
  /** Also commits when this many milliseconds have passed in a batch (default 500). */
  readonly commitAfterMs?: number;
  /** Each refused row, as soon as its batch is committed. */
  readonly onRefused?: (row: ImportRowResult) => void;
  /** After each commit: the counts so far. */
  readonly onCommit?: (counts: ImportCounts) => void;
}

/**
 * Streams an import: rows are read as they come and applied in batches, each batch one transaction
 * (rows in savepoints), so memory stays constant in the file's size and an interruption keeps every
 * committed batch. Refused rows are reported as their batch commits; the counts are returned at the end.
 */
export async function importRows(store: Store, rows: AsyncIterable<ReadRow>, options: ImportRowsOptions): Promise<ImportCounts> {
  const batch = options.batch;
  checkBatchLabel(batch);
  const rowsPerCommit = options.rowsPerCommit ?? 1000;
  const commitAfterMs = options.commitAfterMs ?? 500;
  const counts = { batch, rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0 };
  let pending: ReadRow[] = [];
  let started = Date.now();
  const commit = (): void => {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = [];
    const results = store.transaction(() => chunk.map((row) => applyRow(store, batch, row)));
    for (const result of results) {
      counts.rows++;
      counts[result.outcome === 'rejected' ? 'rejected' : result.outcome]++;
      if (result.outcome === 'rejected') options.onRefused?.(result);
    }
    options.onCommit?.({ ...counts });
    started = Date.now();
  };
  try {
    for await (const row of rows) {
      pending.push(row);
      if (pending.length >= rowsPerCommit || Date.now() - started >= commitAfterMs) commit();
    }
  } catch (error) {
    // The file cannot be read on (invalid UTF-8, a JSON syntax error): what was read before stays imported.
    commit();
    throw error;
  }
  commit();
  return { ...counts };
}
