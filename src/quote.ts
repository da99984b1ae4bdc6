/** Every invisible or line-breaking character but the plain space: controls, format characters, spaces. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}]/gu;

/**
 * A string as a JSON string literal for a message, with invisible characters escaped too
 * (JSON.stringify leaves a zero-width space or U+2028 as it is), so that `"olga\u200b@example.com"`
 * shows what is there and a message stays one visible line. With `maxLength`, a longer string is cut
 * short and marked with `…`.
 */
export function quote(text: string, maxLength = Infinity): string {
  const shown = text.length > maxLength ? text.slice(0, maxLength) : text;
  const literal = JSON.stringify(shown).replace(INVISIBLE, (char) =>
    char === ' ' ? char : `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
  return shown === text ? literal : `${literal}…`;
}

/** A path for a message: as given when it is plain printable ASCII, else as an escaped JSON string. */
export function showPath(path: string): string {
  return /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(path) ? path : quote(path);
}
