import { signCompactToken } from '../../src/identity/sign';
import type { JsonObject, KeyConfig } from '../../src/replay/types';

/**
 * The company every feature scenario runs for: its signing key (shared with the messaging platform)
 * and the clock. Each scenario document carries both, so that an exported scenario replays the same
 * anywhere and a token's expiry is judged against a fixed time.
 */
export const COMPANY_KEY: KeyConfig = { kid: 'app_64f1c0de', secret: 'acme-support-widget shared secret, 41 bytes' };

/** Another company's key: same key id, different secret (the "signed with another secret" token). */
export const OTHER_COMPANY_SECRET = 'globex-helpdesk shared secret, also long enough';

export const NOW_TEXT = '2026-03-02T09:30:00Z';
export const NOW = Date.parse(NOW_TEXT) / 1000;

/** The seed's example JWT expires a day after it is issued. */
export const ONE_DAY = 24 * 60 * 60;

export function base64url(data: string | Buffer): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
}

/** A token from raw header and payload text, signed with `secret`: for what a scenario's `claims` cannot express. */
export function rawToken(header: string, payload: string, secret: string = COMPANY_KEY.secret): string {
  return signCompactToken(header, payload, secret);
}

/** The header the scenario runner writes for `claims` (replay.md). */
export function companyHeader(): JsonObject {
  return { alg: 'HS256', typ: 'JWT', kid: COMPANY_KEY.kid };
}
