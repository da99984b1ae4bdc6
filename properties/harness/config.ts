import { resolve } from 'node:path';

/**
 * Run configuration of the property suite, from the environment:
 *
 * - `NUM_RUNS=n`: every random property runs n times (overrides the defaults);
 * - `RUNS_SCALE=k`: every random property runs k times its default count (`properties:deep` uses 20);
 * - `FC_SEED=s` (and `FC_PATH=p`, with `--grep <property>`): replay one failure exactly;
 * - `EXHAUSTIVE=default|deep|off`, `EXHAUSTIVE_DEPTH=n`, `EXHAUSTIVE_USERS=n`: the exhaustive check's bound;
 * - `COUNTEREXAMPLES_DIR=dir`: where counterexamples go (default reports/counterexamples);
 * - `PROPERTY_PROFILES=reference,seed,doc`: the reading profiles the properties run under (the mutation
 *   check, whose faults are planted in the reference reading, runs `reference` only).
 */

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

function integer(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${text}"`);
  return value;
}

const numRuns = integer('NUM_RUNS');
const scale = integer('RUNS_SCALE') ?? 1;
if (numRuns !== undefined && numRuns < 1) throw new Error('NUM_RUNS must be at least 1');
if (scale < 1) throw new Error('RUNS_SCALE must be at least 1');

/** The runs of a property whose default count is `defaultRuns`. */
export function runsFor(defaultRuns: number): number {
  return numRuns ?? defaultRuns * scale;
}

/** One seed for the whole run (printed), so that `FC_SEED=<seed>` replays every property of it. */
export const SEED: number = integer('FC_SEED') ?? Math.floor(Math.random() * 0x7fffffff);
export const PATH: string | undefined = process.env.FC_PATH || undefined;

export const COUNTEREXAMPLES_DIR = resolve(PROJECT_ROOT, process.env.COUNTEREXAMPLES_DIR || 'reports/counterexamples');

export const RUN_DESCRIPTION =
  numRuns !== undefined ? `NUM_RUNS=${numRuns}` : scale !== 1 ? `RUNS_SCALE=${scale} (${scale}x the default runs)` : 'default runs';

/** The reading profiles the properties run under (PROPERTY_PROFILES, default all three). */
export const PROPERTY_PROFILES: readonly string[] = (process.env.PROPERTY_PROFILES || 'reference,seed,doc').split(',').map((name) => name.trim());
for (const name of PROPERTY_PROFILES) {
  if (!['reference', 'seed', 'doc'].includes(name)) throw new Error(`PROPERTY_PROFILES names "${name}"; the profiles are reference, seed, doc`);
}
