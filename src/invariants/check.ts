import type { ReadingProfile } from '../domain';
import { replay } from '../replay/run';
import type { Scenario } from '../replay/types';
import { checkDeterministic, checkImage, checkModeBlind, checkStep, checkVisitorMonotone, STEP_INVARIANTS } from './checks';
import { INVARIANT_IDS, type InvariantId, type Violation } from './ids';
import { isModeBlindEvent, SETTING_NAMES } from './state';
import { probeSettings, traceScenario, type Trace } from './trace';

export interface CheckOptions {
  /** Check only these invariants (default: all of them). */
  readonly only?: readonly InvariantId[];
  /** The reading profile the engine decides under (default `reference`). */
  readonly profile?: ReadingProfile;
}

export interface CheckReport {
  readonly violations: readonly Violation[];
  readonly checked: readonly InvariantId[];
  readonly trace: Trace;
}

/**
 * Replays a validated scenario through the reference engine and checks every invariant of `flows.md`
 * on it: the step invariants on every event (store images before and after it, and the database image
 * around rejected ones), INV-AUTH-MODE-BLIND and INV-VISITOR-MONOTONE by running each eligible event
 * from the same store under all three settings, and INV-DETERMINISTIC by replaying the scenario again.
 * An exception from the engine is reported as ENGINE-ERROR. This is what `idmatrix check` runs.
 */
export async function checkScenario(scenario: Scenario, options: CheckOptions = {}): Promise<CheckReport> {
  const checked = options.only ?? INVARIANT_IDS;
  const wants = (invariant: InvariantId) => checked.includes(invariant);
  const profile = options.profile;
  const trace = await traceScenario(scenario, { dumps: wants('INV-REJECT-WRITES-NOTHING'), profile });
  const violations: Violation[] = [...checkImage(trace.initial, checked)];
  const stepInvariants = STEP_INVARIANTS.filter(wants);
  for (const step of trace.steps) violations.push(...checkStep(step, stepInvariants));
  if (trace.error !== undefined) {
    violations.push({ invariant: 'ENGINE-ERROR', event: trace.error.event, index: trace.error.index, message: `the engine threw: ${trace.error.message}` });
  }

  for (const step of trace.steps) {
    const blind = wants('INV-AUTH-MODE-BLIND') && isModeBlindEvent(step.event);
    const monotone = wants('INV-VISITOR-MONOTONE') && step.event.type === 'visitor';
    if (!blind && !monotone) continue;
    const probes = await probeSettings(scenario, step.index, SETTING_NAMES, profile);
    if (probes === null) continue;
    if (blind) violations.push(...checkModeBlind(step.index, step.event, probes));
    if (monotone) violations.push(...checkVisitorMonotone(step.index, step.event, probes));
  }

  if (wants('INV-DETERMINISTIC') && trace.error === undefined) {
    // The second run goes through the replay runner itself, so that the trace is also held to it.
    violations.push(...checkDeterministic(trace.result, await replay(scenario, { profile })));
  }
  return { violations: sortViolations(violations), checked, trace };
}

function sortViolations(violations: Violation[]): Violation[] {
  return violations
    .map((violation, order) => ({ violation, order }))
    .sort((a, b) => (a.violation.index ?? -1) - (b.violation.index ?? -1) || a.order - b.order)
    .map((entry) => entry.violation);
}
