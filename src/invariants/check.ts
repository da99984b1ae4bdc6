import type { ReadingProfile } from '../domain';
import { replay } from '../replay/run';
import type { ReplayResult, Scenario, ScenarioEvent } from '../replay/types';
import { checkDeterministic, checkImage, checkModeBlind, checkStep, checkVisitorMonotone, STEP_INVARIANTS } from './checks';
import { INVARIANT_IDS, type InvariantId, type Violation } from './ids';
import { isModeBlindEvent, SETTING_NAMES } from './state';
import { probeSettingsByReplays, traceByReplays, traceScenario, type Replayer } from './trace';

export interface CheckOptions {
  /** Check only these invariants (default: all of them). */
  readonly only?: readonly InvariantId[];
  /** The reading profile the engine decides under (default `reference`), or that `through` follows. */
  readonly profile?: ReadingProfile;
  /**
   * Check an implementation that replays whole documents (a target) instead of the engine in process:
   * each prefix is replayed once (traceByReplays), the probes and the second run go through it too.
   */
  readonly through?: Replayer;
}

export interface CheckReport {
  readonly violations: readonly Violation[];
  readonly checked: readonly InvariantId[];
  /** The result document of the traced run (up to the event the engine threw at, if it did). */
  readonly result: ReplayResult;
  /** Set when the engine threw instead of giving a result. */
  readonly error?: { readonly index: number; readonly event: string; readonly message: string };
  /** Whether the trace kept its images event by event (false: it fell back to reading them whole). */
  readonly incremental: boolean;
  /** The checks that could not be made (through a target: the database image of INV-REJECT-WRITES-NOTHING). */
  readonly notChecked: readonly string[];
}

/** What a check through whole replays cannot see. */
export const NOT_CHECKED_THROUGH_REPLAYS =
  "INV-REJECT-WRITES-NOTHING: the target's database image byte for byte (only its users and conversations before and after a rejected event are compared)";

/**
 * Replays a validated scenario through the reference engine and checks every invariant of `flows.md`
 * on it: the step invariants on every event (store images before and after it, and the database image
 * around rejected ones), INV-AUTH-MODE-BLIND and INV-VISITOR-MONOTONE by running each eligible event
 * from the same store under all three settings, and INV-DETERMINISTIC by replaying the scenario again.
 * An exception from the engine is reported as ENGINE-ERROR. This is what `idmatrix check` runs; it is
 * linear in the number of events (see trace.ts): one run with the probes in savepoints, the checks on
 * what each event changed, then the second run of INV-DETERMINISTIC.
 */
export async function checkScenario(scenario: Scenario, options: CheckOptions = {}): Promise<CheckReport> {
  if (options.through !== undefined) return checkThroughReplays(scenario, options.through, options);
  const checked = options.only ?? INVARIANT_IDS;
  const wants = (invariant: InvariantId) => checked.includes(invariant);
  const stepInvariants = STEP_INVARIANTS.filter(wants);
  const blind = (event: ScenarioEvent) => wants('INV-AUTH-MODE-BLIND') && isModeBlindEvent(event);
  const monotone = (event: ScenarioEvent) => wants('INV-VISITOR-MONOTONE') && event.type === 'visitor';
  const profile = options.profile;
  let violations: Violation[] = [];
  const trace = await traceScenario(scenario, {
    profile,
    onRestart: () => (violations = []),
    dumps: wants('INV-REJECT-WRITES-NOTHING'),
    keepSteps: false,
    probes: { settings: SETTING_NAMES, select: (event) => blind(event) || monotone(event), images: blind },
    onStep: (step, probes) => {
      if (stepInvariants.length > 0) violations.push(...checkStep(step, stepInvariants));
      if (probes === undefined || probes === null) return;
      if (blind(step.event)) violations.push(...checkModeBlind(step.index, step.event, probes));
      if (monotone(step.event)) violations.push(...checkVisitorMonotone(step.index, step.event, probes));
    },
  });
  violations.unshift(...checkImage(trace.initial, checked));
  if (trace.error !== undefined) {
    violations.push({ invariant: 'ENGINE-ERROR', event: trace.error.event, index: trace.error.index, message: `the engine threw: ${trace.error.message}` });
  }
  if (wants('INV-DETERMINISTIC') && trace.error === undefined) {
    // The second run goes through the replay runner itself, so that the trace is also held to it.
    violations.push(...checkDeterministic(trace.result, await replay(scenario, { profile })));
  }
  const report = { violations: sortViolations(violations), checked, result: trace.result, incremental: trace.incremental, notChecked: [] };
  return trace.error === undefined ? report : { ...report, error: trace.error };
}

/**
 * `check --target`: the same checks on an implementation that can only replay whole documents. Each
 * prefix of the events is replayed there once (the store images come from its results), each probe is a
 * replay of the events before it, a settings event and the event, and INV-DETERMINISTIC a second replay
 * of the whole scenario. The database image of INV-REJECT-WRITES-NOTHING cannot be seen (notChecked).
 */
async function checkThroughReplays(scenario: Scenario, through: Replayer, options: CheckOptions): Promise<CheckReport> {
  const checked = options.only ?? INVARIANT_IDS;
  const wants = (invariant: InvariantId) => checked.includes(invariant);
  const trace = await traceByReplays(scenario, through, options.profile);
  const violations: Violation[] = [...checkImage(trace.initial, checked)];
  const stepInvariants = STEP_INVARIANTS.filter(wants);
  for (const step of trace.steps) {
    if (stepInvariants.length > 0) violations.push(...checkStep(step, stepInvariants));
    const blind = wants('INV-AUTH-MODE-BLIND') && isModeBlindEvent(step.event);
    const monotone = wants('INV-VISITOR-MONOTONE') && step.event.type === 'visitor';
    if (!blind && !monotone) continue;
    const probes = await probeSettingsByReplays(scenario, step.index, SETTING_NAMES, through);
    if (probes === null) continue;
    if (blind) violations.push(...checkModeBlind(step.index, step.event, probes));
    if (monotone) violations.push(...checkVisitorMonotone(step.index, step.event, probes));
  }
  if (trace.error !== undefined) {
    violations.push({ invariant: 'ENGINE-ERROR', event: trace.error.event, index: trace.error.index, message: `the target gave no result: ${trace.error.message}` });
  }
  if (wants('INV-DETERMINISTIC') && trace.error === undefined) violations.push(...checkDeterministic(trace.result, await through(scenario)));
  const notChecked = wants('INV-REJECT-WRITES-NOTHING') ? [NOT_CHECKED_THROUGH_REPLAYS] : [];
  const report = { violations: sortViolations(violations), checked, result: trace.result, incremental: false, notChecked };
  return trace.error === undefined ? report : { ...report, error: trace.error };
}

function sortViolations(violations: Violation[]): Violation[] {
  return violations
    .map((violation, order) => ({ violation, order }))
    .sort((a, b) => (a.violation.index ?? -1) - (b.violation.index ?? -1) || a.order - b.order)
    .map((entry) => entry.violation);
}
