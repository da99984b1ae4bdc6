import type { Command } from 'commander';
import { whatIf } from '../../admin/what-if';
import type { SettingId } from '../../domain';
import { readScenario } from '../input';
import { printJson, type CliIO } from '../io';
import { settingOption } from '../options';

export function registerWhatIf(program: Command, io: CliIO): void {
  program
    .command('what-if')
    .description('ADMIN-SWITCH: replay a scenario under another setting and list the events that would have gone elsewhere')
    .argument('<file>', 'scenario file, or - for standard input')
    .addOption(settingOption().makeOptionMandatory())
    .action(async (file: string, options: { setting: SettingId }) => {
      printJson(io, await whatIf(readScenario(io, file), options.setting));
    });
}
