/**
 * How scenario errors write where and what: JSON paths such as `events[2].conversation`,
 * `users[0].emails[1].verified`, `claims["my key"]` for a member whose name is not a plain identifier,
 * and `$` for the root; and values quoted so that an error stays one visible line.
 */

import { quote } from '../quote';

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
