import { AfterAll } from '@cucumber/cucumber';
import type { Verdict } from '../../src/conformance/expectation';
import { openGate, type Gate } from '../../src/conformance/session';
import { isReadingProfile, READING_PROFILES, type ReadingProfile } from '../../src/domain';
import { checked, referenceTarget, type Target } from '../../src/targets';
import { countScenarios, staleVectors } from './vectors';

/**
 * Which implementation the feature files run against: the one Target interface of src/targets
 * (target.ts), chosen once per run from the environment:
 *
 * - `IDMATRIX_TARGET`: `reference` (default), `reference:seed`, `reference:doc`, `http://host:port`,
 *   `cmd:<command line>`;
 * - `IDMATRIX_READING`: the reading the target is judged under (default: what it says, else reference);
 * - `IDMATRIX_EXPECTED_FAILURES`: its expected-failures file, or `none` (default: under the seed or doc
 *   reading, the project's committed file of that reading).
 *
 * `npm run vectors` (IDMATRIX_VECTORS_DIR set) runs each scenario against the engine in this process
 * under the reading the scenario states instead, and writes it as a vector.
 */
let gate: Promise<Gate> | null = null;

export function featureGate(): Promise<Gate> {
  gate ??= (async () => {
    const reading = process.env.IDMATRIX_READING;
    if (reading !== undefined && reading !== '' && !isReadingProfile(reading)) {
      throw new Error(`IDMATRIX_READING=${reading}: expected one of ${READING_PROFILES.join(', ')}`);
    }
    const file = process.env.IDMATRIX_EXPECTED_FAILURES;
    return openGate(process.env.IDMATRIX_TARGET || 'reference', {
      ...(reading ? { reading: reading as ReadingProfile } : {}),
      ...(file === undefined || file === '' ? {} : { expectedFailures: file === 'none' ? false : file }),
    });
  })();
  return gate;
}

/** Writing vectors: the engine in this process, under the reading the scenario states. */
const vectorTargets = new Map<ReadingProfile, Target>();
export function vectorTarget(reading: ReadingProfile): Target {
  let target = vectorTargets.get(reading);
  if (target === undefined) {
    target = checked(referenceTarget(reading));
    vectorTargets.set(reading, target);
  }
  return target;
}

export function writingVectors(): string | null {
  const dir = process.env.IDMATRIX_VECTORS_DIR;
  return dir === undefined || dir === '' ? null : dir;
}

/**
 * Whether this run holds vectors/ to what it does (steps/support/vectors.ts): a run of the features
 * against the engine in process under the reference reading, the run `npm run verify` makes.
 */
export async function holdsVectors(): Promise<boolean> {
  if (writingVectors() !== null) return false;
  const opened = await featureGate();
  return opened.target.name === 'reference' && opened.reading === 'reference';
}

/** Each scenario's verdict, for the expected-failures entries that no scenario failed (checked at the end). */
export const VERDICTS: { id: string; rule: string; verdict: Verdict }[] = [];

AfterAll(async function () {
  if (gate === null) return;
  const opened = await gate;
  await opened.target.close();
  // A whole run that passed has given every vector: one that none gave is stale.
  if ((await holdsVectors()) && VERDICTS.every((entry) => entry.verdict === 'passed') && VERDICTS.length === countScenarios()) {
    const stale = staleVectors();
    if (stale.length > 0) throw new Error(`vectors/ is stale: no scenario gives ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? `, … (${stale.length})` : ''}; run npm run vectors and commit it`);
  }
  // A listed vector that passes has failed its own scenario already; a listed rule is judged over all of its scenarios.
  const stale = opened.expectedFailures?.stale(VERDICTS) ?? [];
  if (stale.length > 0) {
    const lines = stale.map((entry) => `${entry.scope} ${entry.entry}`);
    throw new Error(`listed in ${opened.expectedFailures?.file} as expected failures, but none of their scenarios fails (remove them): ${lines.join('; ')}`);
  }
});

export type { Target };
