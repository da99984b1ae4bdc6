import type { ResultConversation, ResultUser, Scenario, ScenarioEvent } from '../replay/types';

/**
 * Small, self-contained readings of the documents of `replay.md` that the invariant checkers need:
 * the normalised address (`inputs.md`), the setting a settings pair names (`flows.md`), and the claims
 * of a signed-in or login event. Written here from the spec, not imported from the engine, so that a
 * fault in the engine's own helpers cannot hide itself from the checks.
 */

/** The store as the result document shows it. */
export interface StoreImage {
  readonly users: readonly ResultUser[];
  readonly conversations: readonly ResultConversation[];
}

export type SettingName = 'verified-only' | 'verified-and-unverified' | 'claim-verified';

export const SETTING_NAMES: readonly SettingName[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];

type SettingsPair = Scenario['settings'];

/** The setting a pair names, or null for the invalid combination (claim on with verified-only). */
export function settingNameOf(settings: SettingsPair): SettingName | null {
  if (settings.emailIdentities === 'verified-only') return settings.unauthenticatedCanClaimVerified ? null : 'verified-only';
  return settings.unauthenticatedCanClaimVerified ? 'claim-verified' : 'verified-and-unverified';
}

export function settingsPairOf(name: SettingName): SettingsPair {
  switch (name) {
    case 'verified-only':
      return { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false };
    case 'verified-and-unverified':
      return { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false };
    case 'claim-verified':
      return { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: true };
  }
}

/** `inputs.md`: trim U+0020 only, fold A-Z only. */
export function normalise(address: string): string {
  let start = 0;
  let end = address.length;
  while (start < end && address.charCodeAt(start) === 0x20) start++;
  while (end > start && address.charCodeAt(end - 1) === 0x20) end--;
  let out = '';
  for (let i = start; i < end; i++) {
    const c = address.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : address[i];
  }
  return out;
}

export interface HeldIdentity {
  readonly owner: string;
  readonly address: string;
  readonly verified: boolean;
}

/**
 * Every identity by normalised address. When two users hold one address (an INV-ONE-OWNER breach) the
 * first in user order is kept; `holdersOf` lists them all.
 */
export function identitiesOf(image: StoreImage): Map<string, HeldIdentity> {
  const map = new Map<string, HeldIdentity>();
  for (const user of image.users) {
    for (const email of user.emails) {
      const key = normalise(email.address);
      if (!map.has(key)) map.set(key, { owner: user.ref, address: email.address, verified: email.verified });
    }
  }
  return map;
}

export function holdersOf(image: StoreImage): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const user of image.users) {
    for (const email of user.emails) {
      const key = normalise(email.address);
      const list = map.get(key) ?? [];
      list.push(user.ref);
      map.set(key, list);
    }
  }
  return map;
}

export function userByRef(image: StoreImage, ref: string): ResultUser | undefined {
  return image.users.find((user) => user.ref === ref);
}

/** The claims an event's JWT carries: `claims` as given, or the payload of a ready `token` when it decodes. */
export function claimsOf(event: ScenarioEvent): Record<string, unknown> | undefined {
  if (event.type !== 'signed-in' && event.type !== 'login') return undefined;
  if (event.claims !== undefined) return event.claims as Record<string, unknown>;
  const token = event.token ?? '';
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the JWT says `email_verified: true` (strictly the JSON boolean, P4). */
export function vouchesForEmail(claims: Record<string, unknown> | undefined): boolean {
  return claims !== undefined && claims.email_verified === true && typeof claims.email === 'string';
}

/**
 * INV-AUTH-MODE-BLIND's premise: a JWT with `email_verified: true` or without `email`. A token whose
 * payload cannot be read is included: it is rejected, and must be rejected alike in every setting.
 */
export function isModeBlindEvent(event: ScenarioEvent): boolean {
  if (event.type !== 'signed-in' && event.type !== 'login') return false;
  const claims = claimsOf(event);
  return claims === undefined || !Object.hasOwn(claims, 'email') || claims.email_verified === true;
}

/** The setting in force before each event: the initial one, then every valid settings event (ADMIN-SWITCH). */
export function settingsInForce(scenario: Scenario): (SettingName | null)[] {
  let current = settingNameOf(scenario.settings);
  return scenario.events.map((event) => {
    const before = current;
    if (event.type === 'settings') {
      const next = settingNameOf(event);
      if (next !== null) current = next;
    }
    return before;
  });
}
