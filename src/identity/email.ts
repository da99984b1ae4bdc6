/**
 * Email addresses as `inputs.md` defines them: what is usable, and the normalised form that is the
 * identity key. Deliberately not `String.prototype.trim` / `toLowerCase`: the first strips U+FEFF and
 * other spaces, the second maps the Kelvin sign to `k`. Only U+0020 is trimmed and only A-Z folded.
 */

export const MAX_ADDRESS_LENGTH = 254;

export type AddressProblem =
  | 'not-a-string'
  | 'at-sign-count'
  | 'empty-local-part'
  | 'empty-domain'
  | 'empty-domain-label'
  | 'forbidden-character'
  | 'lone-surrogate'
  | 'too-long';

export type ParsedAddress =
  | { readonly usable: true; readonly address: string; readonly normalised: string }
  | { readonly usable: false; readonly problem: AddressProblem };

/** Unicode White_Space, control (Cc) and format (Cf) characters: none may be left after the trim. */
const FORBIDDEN = /[\p{White_Space}\p{Cc}\p{Cf}]/u;

/** Removes U+0020 (and only U+0020) from both ends. */
export function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Maps A-Z to a-z and leaves every other code unit as it is. */
export function foldAsciiCase(text: string): string {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) break;
    i++;
  }
  if (i === n) return text;
  let out = text.slice(0, i);
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : text[i];
  }
  return out;
}

/** The identity key of an address: trimmed of U+0020, A-Z folded. Assumes nothing about usability. */
export function normaliseAddress(text: string): string {
  return foldAsciiCase(trimSpaces(text));
}

/** Decides whether `raw` is a usable address and, when it is, its stored spelling and its key. */
export function parseAddress(raw: unknown): ParsedAddress {
  if (typeof raw !== 'string') return { usable: false, problem: 'not-a-string' };
  const address = trimSpaces(raw);
  if (address.length > MAX_ADDRESS_LENGTH) return { usable: false, problem: 'too-long' };
  if (!address.isWellFormed()) return { usable: false, problem: 'lone-surrogate' };
  if (FORBIDDEN.test(address)) return { usable: false, problem: 'forbidden-character' };
  const at = address.indexOf('@');
  if (at < 0 || address.indexOf('@', at + 1) >= 0) return { usable: false, problem: 'at-sign-count' };
  if (at === 0) return { usable: false, problem: 'empty-local-part' };
  const domain = address.slice(at + 1);
  if (domain.length === 0) return { usable: false, problem: 'empty-domain' };
  if (domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) {
    return { usable: false, problem: 'empty-domain-label' };
  }
  return { usable: true, address, normalised: foldAsciiCase(address) };
}

const PROBLEM_TEXT: Record<AddressProblem, string> = {
  'not-a-string': 'is not a string',
  'at-sign-count': 'must contain exactly one "@"',
  'empty-local-part': 'has an empty local part',
  'empty-domain': 'has an empty domain',
  'empty-domain-label': 'has an empty domain label (a leading, trailing or double dot)',
  'forbidden-character': 'contains a space, control or format character',
  'lone-surrogate': 'contains a lone surrogate',
  'too-long': `is longer than ${MAX_ADDRESS_LENGTH} UTF-16 code units`,
};

/** A sentence fragment for a person: "must contain exactly one "@"". */
export function describeAddressProblem(problem: AddressProblem): string {
  return PROBLEM_TEXT[problem];
}
