/**
 * The model's own reading of `inputs.md` "Email addresses", written for the tests: usable or not, the
 * stored spelling (trimmed of U+0020) and the key (A-Z folded). Deliberately not src/identity/email.ts.
 */

export type ModelAddress = { readonly usable: true; readonly spelling: string; readonly key: string } | { readonly usable: false };

const BAD_CHARACTER = /[\p{White_Space}\p{Cc}\p{Cf}]/u;

function trim(text: string): string {
  return text.replace(/^ +/, '').replace(/ +$/, '');
}

/** The spelling an identity is listed with: as given, without its surrounding U+0020 spaces. */
export function trimmed(address: string): string {
  return trim(address);
}

function fold(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

export function keyOf(address: string): string {
  return fold(trim(address));
}

export function readAddress(raw: unknown): ModelAddress {
  if (typeof raw !== 'string') return { usable: false };
  const spelling = trim(raw);
  if (spelling.length > 254 || !spelling.isWellFormed() || BAD_CHARACTER.test(spelling)) return { usable: false };
  const parts = spelling.split('@');
  if (parts.length !== 2) return { usable: false };
  const [local, domain] = parts as [string, string];
  if (local === '' || domain === '' || domain.split('.').some((label) => label === '')) return { usable: false };
  return { usable: true, spelling, key: fold(spelling) };
}
