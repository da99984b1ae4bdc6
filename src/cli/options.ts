import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { isSettingId, SETTING_IDS, type SettingId } from '../domain';

export function settingOption(): Option {
  return new Option('--setting <id>', `email-identity setting (${SETTING_IDS.join(', ')})`).argParser((value: string): SettingId => {
    if (!isSettingId(value)) throw new CommanderArgumentError(`expected one of ${SETTING_IDS.join(', ')}`);
    return value;
  });
}
