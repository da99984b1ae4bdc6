import fc from 'fast-check';
import type { JsonObject } from '../../src/replay/types';
import { badTokenCatalog, NOW } from '../../test/fixtures/tokens';
import { EXTERNAL_IDS, PEOPLE, spelling, UNUSABLE } from './values';

/**
 * Tokens of signed-in customers and logins. A good token is given as `claims` (signed by the replay
 * runner with the scenario key) in every claim combination of `flows.md`: external id from the pool
 * (known or not depending on the store), `email` absent, an address (any spelling) or unusable, and
 * `email_verified` true, false or absent. A bad token is one of the bad-token catalog (`inputs.md`),
 * given as a ready `token`.
 */

export type EmailClaimSpec =
  | { readonly kind: 'absent' }
  | { readonly kind: 'address'; readonly address: number; readonly variant: number }
  | { readonly kind: 'unusable'; readonly text: number };

export type TokenSpec =
  | {
      readonly kind: 'good';
      readonly externalId: number;
      readonly email: EmailClaimSpec;
      /** true, false, or null for absent. */
      readonly verified: boolean | null;
      readonly name: number | null;
      /** Registered time claims, all valid: none; exp one second after now; iat and nbf at now and exp an hour on. */
      readonly time: 0 | 1 | 2;
    }
  | { readonly kind: 'bad'; readonly index: number };

const CATALOG = badTokenCatalog();

export function emailClaimArb(): fc.Arbitrary<EmailClaimSpec> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'absent' as const }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('address' as const), address: fc.nat(3), variant: fc.nat(2) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('unusable' as const), text: fc.nat(UNUSABLE.length - 1) }) },
  );
}

/** `verifiedOnly`: only tokens INV-AUTH-MODE-BLIND speaks of (`email_verified: true`, or no `email`). */
export function tokenSpecArb(options: { bad?: boolean; verifiedOnly?: boolean } = {}): fc.Arbitrary<TokenSpec> {
  const email = options.verifiedOnly
    ? fc.oneof(fc.constant({ kind: 'absent' as const }), fc.record({ kind: fc.constant('address' as const), address: fc.nat(3), variant: fc.nat(2) }))
    : emailClaimArb();
  const good: fc.Arbitrary<TokenSpec> = fc.record({
      kind: fc.constant('good' as const),
      externalId: fc.nat(EXTERNAL_IDS.length - 1),
      email,
      verified: options.verifiedOnly
        ? fc.constant<boolean | null>(true)
        : fc.oneof({ weight: 3, arbitrary: fc.constant<boolean | null>(true) }, { weight: 1, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(null) }),
      name: fc.option(fc.nat(PEOPLE.length - 1), { nil: null }),
      time: fc.constantFrom<0 | 1 | 2>(0, 0, 1, 2),
    });
  if (options.bad === false) return good;
  return fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad' as const), index: fc.nat(CATALOG.length - 1) }) });
}

export function claimsOf(spec: Extract<TokenSpec, { kind: 'good' }>): JsonObject {
  const claims: Record<string, unknown> = { scope: 'user', external_id: EXTERNAL_IDS[spec.externalId] };
  if (spec.email.kind === 'address') claims.email = spelling(spec.email.address, spec.email.variant);
  if (spec.email.kind === 'unusable') claims.email = UNUSABLE[spec.email.text];
  if (spec.verified !== null) claims.email_verified = spec.verified;
  if (spec.name !== null) claims.name = PEOPLE[spec.name];
  if (spec.time === 1) claims.exp = NOW + 1;
  if (spec.time === 2) Object.assign(claims, { iat: NOW, nbf: NOW, exp: NOW + 3600 });
  return claims;
}

/** The `claims` or `token` member of the event. */
export function tokenMember(spec: TokenSpec): { claims: JsonObject } | { token: string } {
  if (spec.kind === 'good') return { claims: claimsOf(spec) };
  return { token: (CATALOG[spec.index % CATALOG.length] as { token: string }).token };
}

export function describeBadToken(index: number): string {
  return (CATALOG[index % CATALOG.length] as { name: string }).name;
}
