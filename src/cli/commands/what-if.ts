import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { whatIf, whatIfStore } from '../../admin/what-if';
import type { ReadingProfile, SettingId } from '../../domain';
import { replay } from '../../replay/run';
import { Store } from '../../store/store';
import { BadInput, UsageError } from '../exit';
import { readScenario } from '../input';
import { printJson, type CliIO } from '../io';
import { readingOption, settingOption, storeReading } from '../options';

export function registerWhatIf(program: Command, io: CliIO): void {
  program
    .command('what-if')
    .description(
      'ADMIN-SWITCH: decide a recorded history again under another setting and say, per conversation, whether it would have gone to the same user, another existing user, a new user instead of an existing one, an existing user instead of a new one, or the same place by another rule',
    )
    .argument('[file]', 'a recorded scenario file, or - for standard input (instead of --db)')
    .option('--db <path>', "a store file: its imports and accepted events, from their logged inputs (instead of a scenario file)")
    .addOption(settingOption().makeOptionMandatory())
    .addOption(readingOption())
    .action(async (file: string | undefined, options: { db?: string; setting: SettingId; reading?: ReadingProfile }) => {
      if ((file === undefined) === (options.db === undefined)) throw new UsageError('give either a scenario file or --db <path>');
      if (file !== undefined) {
        printJson(io, await whatIf(readScenario(io, file), options.setting, (scenario) => replay(scenario, { profile: options.reading })));
        return;
      }
      const path = options.db as string;
      if (!existsSync(path)) throw new BadInput(`no store at ${path}`);
      const store = Store.open({ path, profile: storeReading(options.reading) });
      try {
        printJson(io, await whatIfStore(store, options.setting));
      } finally {
        store.close();
      }
    });
}
