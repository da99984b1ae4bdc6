import { Option, type Command } from 'commander';
import { checkBatchLabel, defaultBatchLabel, importRows, readCsvRows, readJsonRows, type ImportCounts, type ImportRowResult } from '../../admin/import';
import { settingsOf, type ReadingProfile, type SettingId } from '../../domain';
import { InvalidImportError } from '../../errors';
import { showPath } from '../../quote';
import { Store } from '../../store/store';
import { EXIT_CHECK_FAILED, ExitStatus, UsageError } from '../exit';
import { textChunks } from '../input';
import type { CliIO } from '../io';
import { busyTimeoutOption, readingOption, settingOption, storeReading } from '../options';
import { ImportProgress, type ProgressMode } from '../progress';

export function registerImport(program: Command, io: CliIO): void {
  program
    .command('import')
    .description(
      'ADMIN-IMPORT: import users (CSV or JSON) into a store file, streaming, committed in batches. Prints each refused row as a line of JSON (its line, for JSON also its column, the reason), then a summary line. Running it again skips the rows already imported, so an interrupted import is finished by running it again',
    )
    .argument('<file>', 'users to import: .csv (external_id, name, verified_emails, unverified_emails) or .json, or - for standard input')
    .requiredOption('--db <path>', 'the SQLite store file (created when missing)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension; csv for standard input)').choices(['csv', 'json']))
    .option('--batch <label>', 'label of this import (no ":"); running the same batch again skips the rows it imported (default: the file name without extension)')
    .addOption(settingOption().default('verified-only', 'verified-only, for a new store'))
    .option('--strict', 'exit 1 when any row was refused (the others are imported all the same), for CI jobs')
    .addOption(readingOption())
    .addOption(busyTimeoutOption())
    .addOption(new Option('--progress <mode>', 'progress on standard error: a bar on a terminal, plain lines otherwise (auto), or none').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .action(
      async (
        file: string,
        options: { db: string; format?: 'csv' | 'json'; batch?: string; setting: SettingId; strict?: boolean; reading?: ReadingProfile; busyTimeout: number; progress: ProgressMode },
      ) => {
        const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
        const batch = options.batch ?? defaultBatchLabel(file);
        try {
          checkBatchLabel(batch);
        } catch (error) {
          throw new UsageError(`--batch: ${(error as Error).message.replace(/; give one without \(--batch\)$/, '')}`);
        }
        const source = io.openInput(file);
        const store = openStore(options, () => source.stream.destroy());
        const progress = new ImportProgress(io, file === '-' ? 'standard input' : showPath(file), source.size, options.progress);
        let committed: ImportCounts | undefined;
        let counts: ImportCounts;
        try {
          const chunks = textChunks(source, (bytes) => progress.read(bytes));
          const rows = format === 'json' ? readJsonRows(chunks) : readCsvRows(chunks);
          counts = await importRows(store, rows, {
            batch,
            onRefused: (row) => io.stdout(`${JSON.stringify(refusedLine(row))}\n`),
            onCommit: (so) => {
              committed = so;
              progress.committed(so);
            },
          });
        } catch (error) {
          progress.finish();
          throw partly(error, committed);
        } finally {
          store.close();
        }
        progress.finish();
        io.stdout(`${JSON.stringify(counts)}\n`);
        if (options.strict && counts.rejected > 0) {
          io.stderr(`${counts.rejected} row${counts.rejected === 1 ? ' was' : 's were'} refused (--strict)\n`);
          throw new ExitStatus(EXIT_CHECK_FAILED);
        }
      },
    );
}

function openStore(options: { db: string; setting: SettingId; reading?: ReadingProfile; busyTimeout: number }, onFailure: () => void): Store {
  try {
    return Store.open({ path: options.db, mode: 'open-or-create', settings: settingsOf(options.setting), profile: storeReading(options.reading), busyTimeoutMs: options.busyTimeout });
  } catch (error) {
    onFailure();
    throw error;
  }
}

/** A refused row as its line of JSON: where it starts, the reason's code and message. */
function refusedLine(row: ImportRowResult): Record<string, unknown> {
  const line: Record<string, unknown> = { line: row.line };
  if (row.column !== undefined) line.column = row.column;
  return { ...line, code: row.error?.code, message: row.error?.message };
}

/** A file-level error after some rows were imported: say so, and how to finish. */
function partly(error: unknown, committed: ImportCounts | undefined): unknown {
  if (committed === undefined || committed.rows === 0) return error;
  if (!(error instanceof Error) || !('code' in error) || !['invalid-import', 'invalid-input'].includes(String(error.code))) return error;
  const rows = `${committed.rows} row${committed.rows === 1 ? '' : 's'}`;
  return new InvalidImportError(`${error.message} (the ${rows} before it were imported: fix the file and import it again, they will be skipped)`);
}
