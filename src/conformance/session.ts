import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadingProfile } from '../domain';
import { openTarget } from '../targets/open';
import type { Target } from '../targets/target';
import { readExpectedFailures, type ExpectedFailures } from './ratchet';

/** The project's folder: two levels above this file, in the sources (src/conformance) as in the build (dist/conformance). */
export const PACKAGE_ROOT = join(__dirname, '..', '..');

/** The vectors that ship with the project (`npm run vectors`). */
export const SHIPPED_VECTORS = join(PACKAGE_ROOT, 'vectors');

/** The committed expected-failures file of the project's own engine under a reading profile, if there is one. */
export function shippedExpectedFailures(reading: ReadingProfile): string | null {
  const file = join(PACKAGE_ROOT, 'conformance', `${reading}.expected-failures.json`);
  return existsSync(file) ? file : null;
}

export interface GateOptions {
  /** The reading the target is judged under; default: what it says in its health answer, else `reference`. */
  readonly reading?: ReadingProfile;
  /**
   * The target's expected-failures file; `false` for none. Default: for a target that follows the `seed`
   * or `doc` reading, the project's committed file of that reading (conformance/<reading>.expected-failures.json).
   */
  readonly expectedFailures?: string | false;
  readonly timeoutMs?: number;
}

export interface Gate {
  readonly target: Target;
  readonly reading: ReadingProfile;
  /** Where the reading comes from, for the reports. */
  readonly readingFrom: 'given' | 'target' | 'default';
  readonly expectedFailures: ExpectedFailures | null;
}

/** Opens a target and settles what it is judged against: its reading and its expected failures. */
export async function openGate(spec: string, options: GateOptions = {}): Promise<Gate> {
  const target = openTarget(spec, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  try {
    const declared = options.reading === undefined ? (await target.info()).reading : null;
    const reading = options.reading ?? declared ?? 'reference';
    const readingFrom = options.reading !== undefined ? 'given' : declared !== null ? 'target' : 'default';
    let file: string | null = null;
    if (typeof options.expectedFailures === 'string') file = options.expectedFailures;
    else if (options.expectedFailures === undefined && reading !== 'reference') file = shippedExpectedFailures(reading);
    const label = file === null ? '' : file.startsWith(PACKAGE_ROOT) ? file.slice(PACKAGE_ROOT.length + 1) : file;
    return { target, reading, readingFrom, expectedFailures: file === null ? null : readExpectedFailures(file, label) };
  } catch (error) {
    await target.close();
    throw error;
  }
}
