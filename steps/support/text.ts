/**
 * Helpers for the text of steps. An address in a feature file may spell a character it could not show
 * plainly as \uXXXX (the Kelvin sign \u212A, a zero-width space \u200B); nothing else is decoded.
 */
export function decodeEscapes(text: string): string {
  return text.replace(/\\u([0-9A-Fa-f]{4})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The harness's own reading of "the same address" for assertions such as "nobody holds …": trimmed of
 * U+0020 and A-Z folded, as `inputs.md` says. Written here, not imported from the engine, so that an
 * engine that compares addresses differently cannot make its own assertions pass.
 */
export function sameAddress(a: string, b: string): boolean {
  const key = (text: string) => text.replace(/^ +| +$/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());
  return key(a) === key(b);
}
