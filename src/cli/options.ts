import { InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { isReadingProfile, isSettingId, READING_PROFILES, SETTING_IDS, type ReadingProfile, type SettingId } from '../domain';

export function settingOption(): Option {
  return new Option('--setting <id>', `email-identity setting (${SETTING_IDS.join(', ')})`).argParser((value: string): SettingId => {
    if (!isSettingId(value)) throw new CommanderArgumentError(`expected one of ${SETTING_IDS.join(', ')}`);
    return value;
  });
}

/**
 * `--reading <profile>`: the reading of the disputed rules (flows.md, "Other readings of the DISPUTED
 * rules"). Left out: `reference`, or an existing store's own profile; given with a store created under
 * another, the store is refused (exit 2).
 */
export function readingOption(): Option {
  return new Option(
    '--reading <profile>',
    `reading profile of the disputed rules (${READING_PROFILES.join(', ')}; default reference, or an existing store's own)`,
  ).argParser((value: string): ReadingProfile => {
    if (!isReadingProfile(value)) throw new CommanderArgumentError(`expected one of ${READING_PROFILES.join(', ')}`);
    return value;
  });
}

/** The profile to open an existing store file under: the one given, else the store's own. */
export function storeReading(reading: ReadingProfile | undefined): ReadingProfile | 'stored' {
  return reading ?? 'stored';
}


/** The busy timeout of a command that writes a store (default 30 s). */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

export function busyTimeoutOption(): Option {
  return new Option('--busy-timeout <ms>', 'how long to wait for another process that is writing the store, then give up (milliseconds)')
    .argParser((value: string): number => {
      const ms = Number(value);
      if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(ms)) throw new CommanderArgumentError('expected a whole number of milliseconds');
      return ms;
    })
    .default(DEFAULT_BUSY_TIMEOUT_MS, '30000');
}
