/**
 * How scenario errors write where and what: JSON paths such as `events[2].conversation`,
 * `users[0].emails[1].verified`, `claims["my key"]` for a member whose name is not a plain identifier,
 * and `$` for the root; and values quoted so that an error stays one visible line.
 */

export type PathSegment = string | number;

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_NAME.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${quote(segment)}]`;
  }
  if (out === '') return '$';
  // A root member with an odd name, or an element of a root array: anchor the brackets to `$`.
  return out.startsWith('[') ? `$${out}` : out;
}

/** Every invisible or line-breaking character but the plain space: controls, format characters, spaces. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}]/gu;

/**
 * A string as a JSON string literal, with invisible characters escaped too (JSON.stringify leaves a
 * zero-width space or U+2028 as it is), so that `"olga\u200b@example.com"` shows what is there.
 */
export function quote(text: string): string {
  return JSON.stringify(text).replace(INVISIBLE, (char) =>
    char === ' ' ? char : `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}
