import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../../src/conformance/expectation';
import { SHIPPED_VECTORS } from '../../src/conformance/session';
import { firstDifference, readVector, vectorPath, withoutMessages } from '../../src/conformance/vectors';
import { RULES } from '../../src/policy/rules';
import type { RuleId } from '../../src/domain';
import type { DifferencesAttachment } from '../../src/reports/cucumber/honest';
import type { IdmatrixWorld } from './world';

/**
 * The end of a scenario expected to differ on its target (src/conformance/expectation.ts decides when):
 * some statement must not have held. Returns what the reports record of the statements that did not
 * hold; throws when every statement held, saying why that is a failure.
 */
export function settleDifferences(world: IdmatrixWorld, reading: string | null): DifferencesAttachment | null {
  const expectation = world.expectation;
  if (expectation.kind === 'hold') return null;
  if (world.differences.length === 0) {
    if (expectation.why === 'other-reading') {
      throw new Error(
        `this scenario states the ${expectation.reading} reading and is expected to differ on ${world.runTarget.name}, but every statement held: ` +
          'the target now follows that reading; move the scenario to the engine\'s reading (and update flows.md), or judge the target under that reading',
      );
    }
    if (expectation.scope === 'rule') return null; // a rule listed as failing: this scenario of it may pass (the entry is judged at the end)
    // The statements may say less than the whole result: the case still fails if the result differs from its vector's.
    const difference = differenceFromVector(world);
    if (difference === null) {
      throw new Error(`listed in ${expectation.file} as an expected failure (${expectation.entry}: ${expectation.reason}), but every statement held and the result is its vector's: remove it from the list`);
    }
    world.differences.push({ stepId: '', step: '(the whole result, against its vector)', message: difference });
  }
  return {
    reading,
    ...(expectation.why === 'expected-failure'
      ? { expectedFailure: { target: world.runTarget.name, file: expectation.file, entry: expectation.entry, reason: expectation.reason } }
      : {}),
    statements: world.differences.map((difference) => ({ pickleStepId: difference.stepId, text: difference.step, message: difference.message.split('\n')[0] ?? '' })),
  };
}

/** The scenario's verdict on its target, once it ran (`passed` is cucumber's status after the hooks so far). */
export function verdictOf(world: IdmatrixWorld, passed: boolean): Verdict {
  if (world.unsupported !== null) return 'not supported';
  if (!passed) return 'failed';
  const expectation = world.expectation;
  return expectation.kind === 'differ' && expectation.why === 'expected-failure' && world.differences.length > 0 ? 'expected failure' : 'passed';
}

/** Where the scenario's result differs from the expected result of its vector (vectors/), or null when it does not. */
function differenceFromVector(world: IdmatrixWorld): string | null {
  const rule = world.rule as RuleId;
  const file = join(SHIPPED_VECTORS, vectorPath({ family: RULES[rule].family, rule, id: world.vectorId }));
  if (!existsSync(file)) return null;
  const vector = readVector(file);
  return firstDifference(withoutMessages(vector.expected.result), withoutMessages(world.done.result));
}
