import type { JsonObject, ScenarioEvent, ScenarioUser } from '../../src/replay/types';
import { badTokenCatalog } from '../../test/fixtures/tokens';
import { ALL_SETTINGS_PAIRS } from '../arbitraries/settings';

/**
 * The small scope of the exhaustive check: every starting store and every event over these values.
 *
 * Stores: up to `maxUsers` users (p1 named, p2 not), each with no external id or one of two that differ
 * only by case; two addresses, each held by nobody or by one user, verified or unverified.
 * Events: a visitor with no email, an unusable one, or an address in three spellings (two of them case
 * and space variants of the stored one); a signed-in customer and a login on every earlier visitor
 * conversation with every claim combination (each external id; `email` absent, unusable or one of the
 * three spellings; `email_verified` true, false or absent) and one bad token; a merge of every ordered
 * pair of refs that exist at that point (starting users, users the earlier events would create) and
 * `ghost`, which names nobody; each of the four settings pairs, the invalid one included.
 */

export const STORE_ADDRESSES = ['Ann@Example.com', 'bob@example.org'] as const;
export const SCOPE_EXTERNAL_IDS = ['u-1', 'U-1'] as const;
export const TYPED_ADDRESSES = ['ann@example.com', ' ANN@EXAMPLE.COM ', 'bob@example.org'] as const;
export const UNUSABLE_ADDRESS = 'ann.example.com';

/** Every valid starting store with up to `maxUsers` users. */
export function enumerateStores(maxUsers: number): ScenarioUser[][] {
  const stores: ScenarioUser[][] = [];
  for (let count = 0; count <= maxUsers; count++) {
    // external ids: each user none or one of the pool, no two alike
    const idChoices: (string | null)[][] = [[]];
    for (let u = 0; u < count; u++) {
      const next: (string | null)[][] = [];
      for (const prefix of idChoices) {
        for (const id of [null, ...SCOPE_EXTERNAL_IDS]) if (id === null || !prefix.includes(id)) next.push([...prefix, id]);
      }
      idChoices.splice(0, idChoices.length, ...next);
    }
    // each address: nobody, or user u verified / unverified
    const addressStates: ({ user: number; verified: boolean } | null)[] = [null];
    for (let u = 0; u < count; u++) addressStates.push({ user: u, verified: false }, { user: u, verified: true });
    for (const ids of idChoices) {
      for (const a of addressStates) {
        for (const b of addressStates) {
          const users: ScenarioUser[] = ids.map((externalId, u) => {
            const emails = [a, b].flatMap((state, i) => (state !== null && state.user === u ? [{ address: STORE_ADDRESSES[i] as string, verified: state.verified }] : []));
            return { ref: `p${u + 1}`, name: u === 0 ? 'Pat' : null, externalId, emails };
          });
          stores.push(users);
        }
      }
    }
  }
  return stores;
}

/** Every claim combination for each external id, and one bad token. */
export function tokenAlphabet(): ({ claims: JsonObject } | { token: string })[] {
  const tokens: ({ claims: JsonObject } | { token: string })[] = [];
  for (const externalId of SCOPE_EXTERNAL_IDS) {
    const base = (): Record<string, unknown> => ({ scope: 'user', external_id: externalId, ...(externalId === 'u-1' ? { name: 'Jo' } : {}) });
    for (const email of [undefined, ...TYPED_ADDRESSES]) {
      for (const verified of [true, false, undefined]) {
        const claims = base();
        if (email !== undefined) claims.email = email;
        if (verified !== undefined) claims.email_verified = verified;
        tokens.push({ claims });
      }
    }
    tokens.push({ claims: { ...base(), email: UNUSABLE_ADDRESS, email_verified: true } });
  }
  const bad = badTokenCatalog().find((token) => token.name === 'signature made with another secret');
  if (bad === undefined) throw new Error('the bad-token catalog has no "signature made with another secret"');
  tokens.push({ token: bad.token });
  return tokens;
}

const TOKENS = tokenAlphabet();

/** The events that may come at position `position` (1-based) after `prefix`, in a store with `userRefs`. */
export function eventAlphabet(prefix: readonly ScenarioEvent[], userRefs: readonly string[]): ScenarioEvent[] {
  const n = prefix.length + 1;
  const events: ScenarioEvent[] = [];
  for (const email of [null, UNUSABLE_ADDRESS, ...TYPED_ADDRESSES]) events.push({ ref: `c${n}`, type: 'visitor', name: 'Vi', email });
  for (const token of TOKENS) events.push({ ref: `c${n}`, type: 'signed-in', ...token });
  for (const visitor of prefix.filter((event) => event.type === 'visitor')) {
    for (const token of TOKENS) events.push({ ref: `l${n}`, type: 'login', conversation: visitor.ref, ...token });
  }
  const refs = [...userRefs, ...prefix.filter((e) => e.type === 'visitor' || e.type === 'signed-in' || e.type === 'login').map((e) => `new:${e.ref}`), 'ghost'];
  for (const from of refs) {
    for (const into of refs) if (!(from === 'ghost' && into === 'ghost')) events.push({ ref: `m${n}`, type: 'merge', from, into });
  }
  for (const settings of ALL_SETTINGS_PAIRS) events.push({ ref: `s${n}`, type: 'settings', ...settings });
  return events;
}

/**
 * How many events of each kind `eventAlphabet` offers after a prefix holding `visitors` visitor events
 * and `creating` events that name a user `new:<ref>` (visitor, signed-in, login), in a store of `users`
 * starting users. A test holds it to `eventAlphabet` itself.
 */
export function alphabetShape(users: number, visitors: number, creating: number): { visitor: number; signedIn: number; login: number; merge: number; settings: number } {
  const refs = users + creating + 1;
  return { visitor: 2 + TYPED_ADDRESSES.length, signedIn: TOKENS.length, login: TOKENS.length * visitors, merge: refs * refs - 1, settings: ALL_SETTINGS_PAIRS.length };
}

/** The worlds (sequences of 1..`depth` events) below a prefix of that shape, without running them. */
export function countWorlds(users: number, depth: number, visitors = 0, creating = 0): number {
  if (depth <= 0) return 0;
  const key = `${users},${depth},${visitors},${creating}`;
  const known = WORLD_COUNTS.get(key);
  if (known !== undefined) return known;
  const shape = alphabetShape(users, visitors, creating);
  const below = (v: number, c: number) => 1 + countWorlds(users, depth - 1, v, c);
  const total =
    shape.visitor * below(visitors + 1, creating + 1) +
    (shape.signedIn + shape.login) * below(visitors, creating + 1) +
    (shape.merge + shape.settings) * below(visitors, creating);
  WORLD_COUNTS.set(key, total);
  return total;
}

const WORLD_COUNTS = new Map<string, number>();

/** The shape (visitors, creating events) of a prefix, as `alphabetShape` and `countWorlds` take it. */
export function prefixShape(prefix: readonly ScenarioEvent[]): { visitors: number; creating: number } {
  let visitors = 0;
  let creating = 0;
  for (const event of prefix) {
    if (event.type === 'visitor') visitors++;
    if (event.type === 'visitor' || event.type === 'signed-in' || event.type === 'login') creating++;
  }
  return { visitors, creating };
}
