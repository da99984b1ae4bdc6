import { isDeepStrictEqual } from 'node:util';
import { resultFacts, type StoreImage } from '../../src/invariants';
import type { EventResult, Scenario } from '../../src/replay/types';
import { parseNow } from '../../src/replay/validate';
import { modelClaimsReader, UnjudgeableToken } from '../model/judge';
import { Model, type ModelProfile, type ModelResult } from '../model/model';

/**
 * Agreement of the engine with the independent model, event by event: the same rule, outcome, user,
 * flags and rejection code, and the same users and conversations afterwards.
 */

function describeResult(result: ModelResult | ReturnType<typeof asFacts>): string {
  return `${result.rule} ${result.outcome} ${String(result.user)} [${result.flags.join(',')}]${result.code ? ` (${result.code})` : ''}`;
}

function asFacts(result: EventResult): ModelResult {
  return resultFacts(result) as ModelResult;
}

/** Where the engine's image differs from the model's, in a line; null when they are the same. */
export function imageDifference(engine: StoreImage, model: StoreImage): string | null {
  if (sameJson(engine, model) || isDeepStrictEqual(engine, model)) return null;
  const refs = [...new Set([...engine.users.map((u) => u.ref), ...model.users.map((u) => u.ref)])];
  for (const ref of refs) {
    const e = engine.users.find((u) => u.ref === ref);
    const m = model.users.find((u) => u.ref === ref);
    if (!isDeepStrictEqual(e, m)) return `user ${ref}: engine ${JSON.stringify(e)}, model ${JSON.stringify(m)}`;
  }
  if (engine.users.map((u) => u.ref).join() !== model.users.map((u) => u.ref).join()) {
    return `user order: engine [${engine.users.map((u) => u.ref).join(', ')}], model [${model.users.map((u) => u.ref).join(', ')}]`;
  }
  const conversationRefs = [...new Set([...engine.conversations.map((c) => c.ref), ...model.conversations.map((c) => c.ref)])];
  for (const ref of conversationRefs) {
    const e = engine.conversations.find((c) => c.ref === ref);
    const m = model.conversations.find((c) => c.ref === ref);
    if (!isDeepStrictEqual(e, m)) return `conversation ${ref}: engine ${JSON.stringify(e)}, model ${JSON.stringify(m)}`;
  }
  return 'the conversations are in a different order';
}

/**
 * The same JSON text: the same documents (the result and its images are JSON documents), the quick
 * way. Different text may still be equal data (members in another order), which isDeepStrictEqual
 * then decides.
 */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Null when the engine's result and image after an event agree with the model's, else the difference. */
export function disagreement(engineResult: EventResult, engineImage: StoreImage, model: ModelResult, modelImage: StoreImage): string | null {
  const facts = asFacts(engineResult);
  if (!sameJson(facts, model) && !isDeepStrictEqual(facts, model)) return `the engine gives ${describeResult(facts)}, the model ${describeResult(model)}`;
  const image = imageDifference(engineImage, modelImage);
  return image === null ? null : `after ${describeResult(model)} (both agree on the result): ${image}`;
}

export function modelFor(scenario: Scenario, profile: ModelProfile = 'reference'): { model: Model; claims: ReturnType<typeof modelClaimsReader> } {
  const now = scenario.now !== undefined ? parseNow(scenario.now) : Math.floor(Date.now() / 1000);
  return { model: Model.start(scenario.settings, scenario.users ?? [], profile), claims: modelClaimsReader(scenario, now) };
}

export interface ModelDisagreement {
  readonly index: number;
  readonly event: string;
  readonly message: string;
}

export interface ModelComparison {
  readonly disagreement: ModelDisagreement | null;
  /** How many events the model judged (all of them, unless a token was unjudgeable). */
  readonly judged: number;
  /** Why the model stopped early: the unjudgeable token. */
  readonly stopped?: string;
}

/** Compares the engine's recorded steps with the model, up to the first disagreement or unjudgeable token. */
export function compareWithModel(
  scenario: Scenario,
  steps: readonly { readonly index: number; readonly result: EventResult; readonly after: StoreImage }[],
  profile: ModelProfile = 'reference',
): ModelComparison {
  const { model, claims } = modelFor(scenario, profile);
  let judged = 0;
  for (const step of steps) {
    const event = scenario.events[step.index];
    if (event === undefined) break;
    let expected: ModelResult;
    try {
      expected = model.apply(event, claims);
    } catch (error) {
      if (error instanceof UnjudgeableToken) return { disagreement: null, judged, stopped: error.message };
      throw error;
    }
    const message = disagreement(step.result, step.after, expected, model.image());
    if (message !== null) return { disagreement: { index: step.index, event: event.ref, message }, judged };
    judged++;
  }
  return { disagreement: null, judged };
}

/** The first event at which the engine's recorded steps and the model part ways, or null. */
export function firstDisagreement(
  scenario: Scenario,
  steps: readonly { readonly index: number; readonly result: EventResult; readonly after: StoreImage }[],
  profile: ModelProfile = 'reference',
): ModelDisagreement | null {
  return compareWithModel(scenario, steps, profile).disagreement;
}
