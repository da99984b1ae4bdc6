import { InvalidArgumentError, InvalidSettingsError } from '../errors';

/** The account's two admin settings, as a scenario file spells them. */
export interface Settings {
  readonly emailIdentities: 'verified-only' | 'verified-and-unverified';
  readonly unauthenticatedCanClaimVerified: boolean;
}

/** The three valid combinations: the columns of the matrix (`flows.md`, Settings). */
export type SettingId = 'verified-only' | 'verified-and-unverified' | 'claim-verified';

export const SETTING_IDS: readonly SettingId[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];

const BY_ID: Record<SettingId, Settings> = {
  'verified-only': { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false },
  'verified-and-unverified': { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false },
  'claim-verified': { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: true },
};

/** The setting id of a combination; the invalid one (claim on with verified-only) is refused. */
export function settingIdOf(settings: Settings): SettingId {
  if (settings.emailIdentities === 'verified-only') {
    if (settings.unauthenticatedCanClaimVerified) {
      throw new InvalidSettingsError(
        '"Unauthenticated users can claim verified emails" exists only with "Use both verified and unverified emails"',
      );
    }
    return 'verified-only';
  }
  return settings.unauthenticatedCanClaimVerified ? 'claim-verified' : 'verified-and-unverified';
}

export function settingsOf(id: SettingId): Settings {
  const settings = BY_ID[id];
  if (!settings) throw new InvalidArgumentError(`unknown setting id "${String(id)}"; expected one of ${SETTING_IDS.join(', ')}`);
  return settings;
}

export function isSettingId(value: unknown): value is SettingId {
  return typeof value === 'string' && (SETTING_IDS as readonly string[]).includes(value);
}
