import fc from 'fast-check';
import type { Scenario } from '../../src/replay/types';

export type SettingsPair = Scenario['settings'];

export const VERIFIED_ONLY: SettingsPair = { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false };
export const VERIFIED_AND_UNVERIFIED: SettingsPair = { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false };
export const CLAIM_VERIFIED: SettingsPair = { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: true };
/** Claim on with verified-only: refused as a settings event (`invalid-settings`), malformed as initial settings. */
export const INVALID_SETTINGS: SettingsPair = { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: true };

export const VALID_SETTINGS: readonly SettingsPair[] = [VERIFIED_ONLY, VERIFIED_AND_UNVERIFIED, CLAIM_VERIFIED];
export const ALL_SETTINGS_PAIRS: readonly SettingsPair[] = [...VALID_SETTINGS, INVALID_SETTINGS];

/** The initial settings of a scenario: one of the three valid combinations. */
export function settingsArb(): fc.Arbitrary<SettingsPair> {
  return fc.constantFrom(...VALID_SETTINGS);
}

/** A settings event's pair: the invalid combination included. */
export function settingsEventArb(): fc.Arbitrary<SettingsPair> {
  return fc.constantFrom(...ALL_SETTINGS_PAIRS);
}
