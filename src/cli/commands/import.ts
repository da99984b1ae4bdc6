import { Option, type Command } from 'commander';
import { importUsers, readCsvImport, readJsonImport } from '../../admin/import';
import { settingsOf, type ReadingProfile, type SettingId } from '../../domain';
import { Store } from '../../store/store';
import { EXIT_CHECK_FAILED, ExitStatus } from '../exit';
import { readText } from '../input';
import { printJson, type CliIO } from '../io';
import { busyTimeoutOption, readingOption, settingOption, storeReading } from '../options';

export function registerImport(program: Command, io: CliIO): void {
  program
    .command('import')
    .description('ADMIN-IMPORT: import users (CSV or JSON) into a store file; refused rows are listed with their line')
    .argument('<file>', 'users to import: .csv (external_id, name, verified_emails, unverified_emails) or .json')
    .requiredOption('--db <path>', 'the SQLite store file (created when missing)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'json']))
    .option('--batch <label>', 'label of this import, unique per store (default: the file name without extension)')
    .addOption(settingOption().default('verified-only', 'verified-only, for a new store'))
    .option('--strict', 'exit 1 when any row was refused (the others are imported all the same), for CI jobs')
    .addOption(readingOption())
    .addOption(busyTimeoutOption())
    .action(async (file: string, options: { db: string; format?: 'csv' | 'json'; batch?: string; setting: SettingId; strict?: boolean; reading?: ReadingProfile; busyTimeout: number }) => {
      const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
      const text = await readText(io.openInput(file), 256 * 1024 * 1024);
      const rows = format === 'json' ? readJsonImport(text) : readCsvImport(text);
      const batch = options.batch ?? baseName(file);
      const store = Store.open({
        path: options.db,
        mode: 'open-or-create',
        settings: settingsOf(options.setting),
        profile: storeReading(options.reading),
        busyTimeoutMs: options.busyTimeout,
      });
      let report;
      try {
        report = importUsers(store, rows, batch);
      } finally {
        store.close();
      }
      printJson(io, report);
      if (options.strict && report.rejected > 0) {
        io.stderr(`${report.rejected} row${report.rejected === 1 ? ' was' : 's were'} refused (--strict)\n`);
        throw new ExitStatus(EXIT_CHECK_FAILED);
      }
    });
}

function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.replace(/\.[^.]*$/, '') || 'import';
}
