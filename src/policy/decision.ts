import type { Decision, RuleId } from '../domain';
import type { RejectionCode } from '../errors';

/** A refusal: the rule that refused, its code and a sentence for a person; nothing is written. */
export function rejected(rule: RuleId, code: RejectionCode, message: string): Decision {
  return { rule, outcome: 'rejected', flags: [], user: null, effects: [], rejection: { code, message } };
}
