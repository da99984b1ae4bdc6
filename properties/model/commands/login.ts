import fc from 'fast-check';
import { loginSpecArb, type EventSpec } from '../../arbitraries/events';
import { EventCommand } from './event-command';
import type { ModelSide } from './system';
import { describeToken } from './token-text';

/** The visitor of an earlier conversation signs in mid-conversation. Needs a visitor conversation. */
export class LoginCommand extends EventCommand {
  override check(side: Readonly<ModelSide>): boolean {
    return side.builder.visitorConversations.length > 0;
  }

  toString(): string {
    const spec = this.spec as Extract<EventSpec, { kind: 'login' }>;
    return `login on visitor #${spec.conversation} with ${describeToken(spec.token)}`;
  }
}

export function loginCommandArb(): fc.Arbitrary<LoginCommand> {
  return loginSpecArb().map((spec) => new LoginCommand(spec));
}
