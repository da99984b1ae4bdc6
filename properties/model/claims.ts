import { readAddress } from './address';

/**
 * The model's reading of a JWT's claims (`inputs.md`, "Claims" and "Time"), for tokens the tests sign
 * themselves from `claims`. Signature, header and encoding checks are the engine's business and the
 * bad-token catalog's; the model only needs to know what a well-signed token says.
 */
export type ModelClaims =
  | { readonly valid: false; readonly why: string }
  | {
      readonly valid: true;
      readonly externalId: string;
      readonly name?: string;
      readonly email?: { readonly spelling: string; readonly key: string };
      /** Only the JSON boolean true. */
      readonly vouched: boolean;
    };

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function readClaims(claims: Record<string, unknown>, now: number): ModelClaims {
  const has = (name: string) => Object.hasOwn(claims, name);
  if (claims.scope !== 'user') return { valid: false, why: 'scope' };
  const externalId = claims.external_id;
  if (typeof externalId !== 'string' || externalId.length === 0 || externalId.length > 255) return { valid: false, why: 'external_id' };
  if (has('name') && typeof claims.name !== 'string') return { valid: false, why: 'name' };
  if (has('email_verified') && typeof claims.email_verified !== 'boolean') return { valid: false, why: 'email_verified' };
  if (has('exp') && !(isTime(claims.exp) && claims.exp > now)) return { valid: false, why: 'exp' };
  if (has('iat') && !(isTime(claims.iat) && claims.iat <= now)) return { valid: false, why: 'iat' };
  if (has('nbf') && !(isTime(claims.nbf) && claims.nbf <= now)) return { valid: false, why: 'nbf' };
  let email: { spelling: string; key: string } | undefined;
  if (has('email')) {
    const address = readAddress(claims.email);
    if (!address.usable) return { valid: false, why: 'email' };
    email = { spelling: address.spelling, key: address.key };
  }
  return {
    valid: true,
    externalId,
    ...(has('name') ? { name: claims.name as string } : {}),
    ...(email ? { email } : {}),
    vouched: claims.email_verified === true,
  };
}
