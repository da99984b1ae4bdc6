import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { whatIf, whatIfStore, type WhatIfReport } from '../../admin/what-if';
import type { ReadingProfile, SettingId } from '../../domain';
import { replay } from '../../replay/run';
import { Store } from '../../store/store';
import { BadInput, UsageError } from '../exit';
import { maxInputSizeOption, readScenario } from '../input';
import { printJson, type CliIO } from '../io';
import { readingOption, settingOption, storeReading } from '../options';

export function registerWhatIf(program: Command, io: CliIO): void {
  program
    .command('what-if')
    .description(
      'ADMIN-SWITCH: decide a recorded history again under another setting and say, per conversation, whether it would have gone to the same user, another existing user, a new user instead of an existing one, an existing user instead of a new one, or the same place by another rule; grouped by rule, as JSON (and as a page with a chart: --html)',
    )
    .argument('[file]', 'a recorded scenario file, or - for standard input (instead of --db)')
    .option('--db <path>', "a store file: its imports and accepted events, from their logged inputs (instead of a scenario file)")
    .addOption(settingOption().makeOptionMandatory())
    .addOption(readingOption())
    .option('--html <path>', 'also write the report as a self-contained page with a chart (opens offline)')
    .addOption(maxInputSizeOption())
    .action(async (file: string | undefined, options: { db?: string; setting: SettingId; reading?: ReadingProfile; html?: string; maxInputSize: number }) => {
      if ((file === undefined) === (options.db === undefined)) throw new UsageError('give either a scenario file or --db <path>');
      let report: WhatIfReport;
      if (file !== undefined) {
        report = await whatIf(await readScenario(io, file, { maxBytes: options.maxInputSize }), options.setting, (scenario) => replay(scenario, { profile: options.reading }));
      } else {
        const store = Store.open({ path: options.db as string, mode: 'read-only', profile: storeReading(options.reading) });
        try {
          report = await whatIfStore(store, options.setting);
        } finally {
          store.close();
        }
      }
      if (options.html !== undefined) {
        // Loaded on demand: it inlines Chart.js, which only the page needs.
        const { renderWhatIfPage } = await import('../../reports/what-if/page');
        const page = renderWhatIfPage({ report, subject: file ?? (options.db as string), generatedAt: new Date().toISOString() });
        try {
          writeFileSync(options.html, page);
        } catch (error) {
          throw new BadInput(`--html ${options.html}: cannot write the page (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        }
      }
      printJson(io, report);
    });
}
