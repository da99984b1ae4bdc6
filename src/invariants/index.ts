/**
 * Invariant checkers for `flows.md` (INV-*). `checkScenario` replays a scenario and checks them all;
 * the pure checkers (checks.ts) judge one step or compare runs and are shared with the property tests.
 * Nothing here imports the policy or its decision tables.
 */
export { checkScenario, NOT_CHECKED_THROUGH_REPLAYS, type CheckOptions, type CheckReport } from './check';
export {
  checkDeterministic,
  checkImage,
  checkModeBlind,
  checkStep,
  checkVisitorMonotone,
  resultFacts,
  sameImage,
  STEP_INVARIANTS,
  type SettingProbe,
  type Step,
} from './checks';
export { INVARIANT_IDS, NOT_HELD_UNDER, formatViolation, type InvariantId, type Violation, type ViolationKind } from './ids';
export { claimsOf, isModeBlindEvent, normalise, settingNameOf, settingsInForce, settingsPairOf, SETTING_NAMES, type SettingName, type StoreImage } from './state';
export { probeSettings, probeSettingsByReplays, traceByReplays, traceScenario, type Replayer, type Trace, type TraceOptions } from './trace';
export { openScenarioEngine, runScenarioEvent } from '../replay/run';
export { writeCounter } from './writes';
export { deltaOf, ImageIndex, ImageTracker, IncrementalImageError, type StepDelta } from './image';
