import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version in package.json: two levels above this file, in the sources (src/cli) as in the build (dist/cli). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}
