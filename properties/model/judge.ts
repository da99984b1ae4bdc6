import { signTestToken } from '../../src/identity/sign';
import type { KeyConfig, Scenario, ScenarioEvent } from '../../src/replay/types';
import { badTokenCatalog, KEY } from '../../test/fixtures/tokens';
import { readClaims, type ModelClaims } from './claims';

/** The model cannot tell what this token says (a hand-made token outside the bad-token catalog). */
export class UnjudgeableToken extends Error {}

const BAD_TOKENS = new Set(badTokenCatalog().map((bad) => bad.token));

/**
 * Reads a signed-in or login event's token for the model: `claims` signed with the first key are read
 * by the model's own claim rules; a token of the bad-token catalog is invalid; a ready token that is
 * exactly the default signature of its payload is read like `claims`. Anything else is unjudgeable.
 */
export function modelClaimsReader(scenario: Scenario, now: number): (event: ScenarioEvent) => ModelClaims {
  const key = scenario.keys?.[0] as KeyConfig | undefined;
  return (event) => {
    if (event.type !== 'signed-in' && event.type !== 'login') throw new Error(`${event.ref} carries no token`);
    if (event.claims !== undefined) {
      if (event.header !== undefined || (event.kid !== undefined && event.kid !== (key?.kid ?? 'app_test'))) {
        throw new UnjudgeableToken(`${event.ref}: a token with its own header or kid`);
      }
      return readClaims(event.claims as Record<string, unknown>, now);
    }
    const token = event.token as string;
    if (key !== undefined && key.kid === KEY.kid && key.secret === KEY.secret && BAD_TOKENS.has(token)) return { valid: false, why: 'bad-token catalog' };
    const parts = token.split('.');
    if (key !== undefined && parts.length === 3) {
      try {
        const payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
        if (payload !== null && typeof payload === 'object' && signTestToken(payload, key) === token) return readClaims(payload, now);
      } catch {
        // not JSON: unjudgeable below
      }
    }
    throw new UnjudgeableToken(`${event.ref}: a hand-made token`);
  };
}
