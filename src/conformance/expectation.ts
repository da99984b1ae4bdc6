import type { ReadingProfile } from '../domain';
import type { ExpectedFailures } from './ratchet';

/**
 * When a scenario (a feature scenario, or the vector written from it) must hold on a target, and when
 * it is expected to differ: the one place that decides it, for the feature steps, `idmatrix conform` and
 * the reports that render the outcome.
 *
 * A scenario states a reading: `reference` (the rule tables of flows.md) or, tagged `@reading:SEED` or
 * `@reading:DOC`, the reading of the `seed` or `doc` profile. A target follows one reading (what it says
 * in its health answer, `--reading`, or `reference`). Then:
 *
 * - a scenario stating the target's reading, or the reference one, must hold, unless the target's
 *   expected-failures file lists it (by vector id, or by its rule): then it is expected to fail, with
 *   the file's reason, and it must fail (the list only shrinks);
 * - a scenario stating another profile's reading is expected to differ: at least one of its statements
 *   must not hold on the target (the target does not follow that reading). Under profile P the
 *   `@reading:P` scenarios are ordinary scenarios.
 */
export type Expectation =
  | { readonly kind: 'hold' }
  | { readonly kind: 'differ'; readonly why: 'other-reading'; readonly reading: ReadingProfile }
  | {
      readonly kind: 'differ';
      readonly why: 'expected-failure';
      /** Listed by its vector id, or by its rule (then some case of the rule must fail, not each one). */
      readonly scope: 'vector' | 'rule';
      readonly entry: string;
      readonly reason: string;
      readonly file: string;
    };

export interface Case {
  /** The vector id (stable: see vectors.ts). */
  readonly id: string;
  readonly rule: string;
  /** The reading the scenario states. */
  readonly reading: ReadingProfile;
}

export function expectationFor(scenario: Case, targetReading: ReadingProfile, expectedFailures: ExpectedFailures | null): Expectation {
  if (scenario.reading !== 'reference' && scenario.reading !== targetReading) return { kind: 'differ', why: 'other-reading', reading: scenario.reading };
  const listed = expectedFailures?.lookup(scenario.id, scenario.rule);
  if (listed !== undefined && expectedFailures !== null) {
    return { kind: 'differ', why: 'expected-failure', scope: listed.scope, entry: listed.entry, reason: listed.reason, file: expectedFailures.file };
  }
  return { kind: 'hold' };
}

/** What happened to a case on the target. */
export type Observation =
  | { readonly kind: 'held' }
  /** A statement did not hold, or the result differs from the expected one; `detail` says where. */
  | { readonly kind: 'differed'; readonly detail: string }
  /** The target gave no valid answer (crash, timeout, malformed result, refusal). */
  | { readonly kind: 'error'; readonly detail: string }
  | { readonly kind: 'unsupported'; readonly detail: string };

export type Verdict = 'passed' | 'failed' | 'expected failure' | 'not supported';

export interface Judgement {
  readonly verdict: Verdict;
  /** One line for a person: why, when it is not a plain pass. */
  readonly why: string | null;
}

/**
 * The verdict of a case: `passed`, `failed`, `expected failure` (listed, and it failed) or `not
 * supported` (never passed). An error of the target is not a difference: a scenario of another reading
 * that errors fails; a listed one that errors is still a failure the list expects.
 */
export function judge(expectation: Expectation, observation: Observation): Judgement {
  if (observation.kind === 'unsupported') return { verdict: 'not supported', why: observation.detail };
  if (expectation.kind === 'hold') {
    return observation.kind === 'held' ? { verdict: 'passed', why: null } : { verdict: 'failed', why: observation.detail };
  }
  if (expectation.why === 'other-reading') {
    if (observation.kind === 'differed') return { verdict: 'passed', why: `differs, as expected of the ${expectation.reading} reading: ${observation.detail}` };
    if (observation.kind === 'held') {
      return { verdict: 'failed', why: `states the ${expectation.reading} reading, and every statement held: the target follows that reading, not its own` };
    }
    return { verdict: 'failed', why: observation.detail };
  }
  if (observation.kind === 'held') {
    if (expectation.scope === 'rule') return { verdict: 'passed', why: `passes, although its rule ${expectation.entry} is listed as an expected failure` };
    return { verdict: 'failed', why: `listed as an expected failure (${expectation.entry} in ${expectation.file}) but it passes: remove it from the list` };
  }
  return { verdict: 'expected failure', why: `${observation.detail} (listed: ${expectation.reason})` };
}
