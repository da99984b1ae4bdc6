import { Option, type Command } from 'commander';
import { importUsers, readCsvImport, readJsonImport } from '../../admin/import';
import { settingsOf, type SettingId } from '../../domain';
import { Store } from '../../store/store';
import { printJson, type CliIO } from '../io';
import { settingOption } from '../options';

export function registerImport(program: Command, io: CliIO): void {
  program
    .command('import')
    .description('ADMIN-IMPORT: import users (CSV or JSON) into a store file; refused rows are listed with their line')
    .argument('<file>', 'users to import: .csv (external_id, name, verified_emails, unverified_emails) or .json')
    .requiredOption('--db <path>', 'the SQLite store file (created when missing)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'json']))
    .option('--batch <label>', 'label of this import, unique per store (default: the file name without extension)')
    .addOption(settingOption().default('verified-only', 'verified-only, for a new store'))
    .action((file: string, options: { db: string; format?: 'csv' | 'json'; batch?: string; setting: SettingId }) => {
      const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
      const text = io.readInput(file);
      const rows = format === 'json' ? readJsonImport(text) : readCsvImport(text);
      const batch = options.batch ?? baseName(file);
      const store = Store.open({ path: options.db, settings: settingsOf(options.setting) });
      try {
        printJson(io, importUsers(store, rows, batch));
      } finally {
        store.close();
      }
    });
}

function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.replace(/\.[^.]*$/, '') || 'import';
}
