import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { isSettingId, SETTING_IDS, settingIdOf, settingsOf, type ReadingProfile, type SettingId } from '../../domain';
import { printJson, type CliIO } from '../io';
import { readingOption } from '../options';
import { adminEventRef, withEngine } from '../store-file';

export function registerSwitch(program: Command, io: CliIO): void {
  program
    .command('switch')
    .description(
      'ADMIN-SWITCH: change the setting in force of a store. Existing users, identities and conversations stay as they are; only later events follow the new setting. Prints the result with the setting before and after',
    )
    .argument('<setting>', `the new setting (${SETTING_IDS.join(', ')})`, (value: string): SettingId => {
      if (!isSettingId(value)) throw new CommanderArgumentError(`expected one of ${SETTING_IDS.join(', ')}`);
      return value;
    })
    .requiredOption('--db <path>', 'an existing store file')
    .option('--ref <ref>', "this event's ref in the store's log (default: switch-<n>)")
    .addOption(readingOption())
    .action(async (setting: SettingId, options: { db: string; ref?: string; reading?: ReadingProfile }) => {
      const printed = await withEngine(options.db, (engine) => {
        const before = settingIdOf(engine.store.settings());
        const result = engine.switchSettings(adminEventRef(engine.store, 'switch', options.ref), settingsOf(setting));
        return { ...result, from: before, to: settingIdOf(engine.store.settings()) };
      }, options.reading);
      printJson(io, printed);
    });
}
