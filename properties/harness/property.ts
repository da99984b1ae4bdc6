import fc from 'fast-check';
import type { Scenario } from '../../src/replay/types';
import { EXPECTED_FAILURES } from '../expected-failures';
import { PATH, runsFor, SEED } from './config';
import { reproduceCommands, scenarioOfError, writeCounterexample } from './counterexample';

export interface PropertySpec<T> {
  /** The property ID: an INV-* ID, or MODEL-AGREEMENT / MODEL-COMMANDS. It names the counterexample file. */
  readonly id: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Throws (an assertion) when the property does not hold for `value`. */
  readonly predicate: (value: T) => Promise<void>;
  /** The scenario file of a counterexample (when the error does not carry its own history). */
  readonly scenarioOf?: (value: T) => Scenario;
  /** The default number of runs (scaled by RUNS_SCALE, replaced by NUM_RUNS). */
  readonly runs: number;
  /** The reading profile the engine runs under (default `reference`): named in the reproduce commands. */
  readonly profile?: string;
  /**
   * The property must NOT hold, for this reason (a reading profile that breaks an invariant on purpose):
   * a counterexample passes the test, and a run that finds none fails it.
   */
  readonly mustFail?: string;
}

/**
 * A figure of a test (runs, worlds) in its mochawesome report entry, where the scenario report
 * (reports/index.html) reads the property summary from.
 */
export function recordFigure(context: Mocha.Context, title: 'runs' | 'worlds', value: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const addContext = require('mochawesome/addContext') as (test: Mocha.Context, context: { title: string; value: unknown }) => void;
  addContext(context, { title, value });
}

/** Runs published by `runProperty`, for the summary at the end of the suite. */
export const RUN_LOG: { id: string; runs: number; seconds: number; failed: boolean }[] = [];

/**
 * Runs a property with fast-check. On failure the shrunk counterexample is written as a scenario file
 * (`reports/counterexamples/<id>-<seed>.json`) and the thrown error gives the seed, the path and the
 * commands that reproduce it.
 */
export async function runProperty<T>(spec: PropertySpec<T>): Promise<void> {
  const numRuns = runsFor(spec.runs);
  const started = performance.now();
  const details = await fc.check(fc.asyncProperty(spec.arbitrary, spec.predicate), {
    numRuns,
    seed: SEED,
    ...(PATH !== undefined ? { path: PATH } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  RUN_LOG.push({ id: spec.id, runs: details.numRuns, seconds, failed: details.failed });
  console.log(`      ${spec.id}: ${details.numRuns} runs, seed ${SEED}, ${seconds.toFixed(1)} s`);
  if (spec.mustFail !== undefined) {
    if (!details.failed) throw new Error(`${spec.id} held on ${details.numRuns} runs, but ${spec.mustFail}: the checkers should have reported it`);
    const failure = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    console.log(`      ${spec.id} does not hold, as expected (${spec.mustFail}):\n${failure.split('\n')[0]?.replace(/^/, '        ')}`);
    return;
  }
  if (!details.failed) return;

  const error = details.errorInstance;
  const failure = error instanceof Error ? error.message : String(error);
  const value = details.counterexample?.[0] as T | undefined;
  const scenario = scenarioOfError(error) ?? (value !== undefined && spec.scenarioOf ? spec.scenarioOf(value) : undefined);
  const lines = [
    `${spec.id} failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s): seed ${SEED}, path "${details.counterexamplePath ?? ''}"`,
  ];
  if (scenario !== undefined) {
    const path = writeCounterexample(spec.id, SEED, scenario, failure);
    lines.push(`counterexample: ${path}`, 'reproduce:', ...reproduceCommands(path, spec.profile).map((command) => `  ${command}`));
  } else {
    lines.push('(no scenario could be built from the counterexample)');
  }
  lines.push(`rerun: FC_SEED=${SEED} FC_PATH="${details.counterexamplePath ?? ''}" npm run properties -- --grep '${spec.id}'`, `failure: ${failure}`);
  throw new Error(lines.join('\n'));
}

/**
 * `it` for a property: a property listed in expected-failures.ts that fails is reported as pending with
 * its bug, and one that passes fails the suite (remove it from the list).
 */
export function property(id: string, title: string, body: () => Promise<void>, timeout = 0): void {
  it(`${id}: ${title}`, async function () {
    this.timeout(timeout);
    const expected = EXPECTED_FAILURES[id];
    if (expected === undefined) {
      const logged = RUN_LOG.length;
      await body();
      recordFigure(this, 'runs', RUN_LOG.slice(logged).reduce((sum, run) => sum + run.runs, 0));
      return;
    }
    try {
      await body();
    } catch (error) {
      console.log(`      ${id} fails as expected (${expected}):\n${String((error as Error).message).replace(/^/gm, '        ')}`);
      this.skip();
    }
    throw new Error(`${id} is listed in properties/expected-failures.ts but passed: remove it from the list`);
  });
}
