import type fc from 'fast-check';
import { checkStep, formatViolation, NOT_HELD_UNDER, runScenarioEvent, settingNameOf, STEP_INVARIANTS } from '../../../src/invariants';
import type { EventResult } from '../../../src/replay/types';
import type { EventSpec } from '../../arbitraries/events';
import { disagreement } from '../../harness/agreement';
import { HistoryFailure } from '../../harness/counterexample';
import type { ModelSide, RealSide } from './system';

/**
 * What every command does: make its event concrete, run it on the engine and on the model, and check
 * that they agree on rule, outcome, user, flags and rejection code; then compare the engine's store
 * with the model's and check every step invariant. A failure carries the scenario written so far.
 */
export abstract class EventCommand implements fc.AsyncCommand<ModelSide, RealSide> {
  constructor(readonly spec: EventSpec) {}

  check(_model: Readonly<ModelSide>): boolean {
    return true;
  }

  async run(side: ModelSide, real: RealSide): Promise<void> {
    const event = side.builder.add(this.spec);
    const scenario = side.builder.scenario();
    const engine = real.engine;
    const before = engine.snapshot();
    const dumpBefore = engine.store.dump();
    const setting = side.model.setting;
    let result: EventResult;
    try {
      result = await runScenarioEvent(engine, scenario, event);
    } catch (error) {
      throw new HistoryFailure(`ENGINE-ERROR at ${event.ref}: the engine threw: ${(error as Error).message}`, scenario);
    }
    const after = engine.snapshot();
    const expected = side.model.apply(event, side.claims);
    const difference = disagreement(result, after, expected, side.model.image());
    if (difference !== null) throw new HistoryFailure(`MODEL-COMMANDS at ${event.ref} (${this.toString()}): ${difference}`, scenario);
    // The setting in force is the model's, in the engine and in the store it would reopen with.
    const stored = settingNameOf(engine.store.settings());
    if (stored !== side.model.setting || engine.settingId !== side.model.setting) {
      throw new HistoryFailure(
        `MODEL-COMMANDS at ${event.ref} (${this.toString()}): the model's setting is ${side.model.setting}, the engine's ${engine.settingId}, the store's ${String(stored)}`,
        scenario,
      );
    }
    const profile = side.model.profile;
    const held = STEP_INVARIANTS.filter((invariant) => !NOT_HELD_UNDER[profile].includes(invariant));
    const step = { index: side.builder.length - 1, event, setting, result, before, after, dumpBefore, dumpAfter: engine.store.dump(), profile };
    const violations = checkStep(step, held);
    if (violations.length > 0) throw new HistoryFailure(violations.map(formatViolation).join('\n'), scenario);
  }

  abstract toString(): string;
}
