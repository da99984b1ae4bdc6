/**
 * Free text (refs, names, external ids, typed addresses) round-trips through SQLite exactly, code
 * unit for code unit. SQLite stores TEXT as UTF-8, which cannot hold a lone surrogate: "\ud800" and
 * "\udc00" would both become U+FFFD and collide. A well-formed string is stored as TEXT (readable in
 * any SQLite tool); one that is not is stored as a BLOB of its UTF-16LE code units. The storage class
 * tells the two apart, so the mapping is injective and UNIQUE constraints keep their meaning.
 */

export type StoredText = string | Buffer;

export function encodeText(text: string): StoredText {
  return text.isWellFormed() ? text : Buffer.from(text, 'utf16le');
}

export function encodeNullableText(text: string | null | undefined): StoredText | null {
  return text === null || text === undefined ? null : encodeText(text);
}

export function decodeText(stored: StoredText): string {
  return typeof stored === 'string' ? stored : stored.toString('utf16le');
}

export function decodeNullableText(stored: StoredText | null): string | null {
  return stored === null ? null : decodeText(stored);
}
