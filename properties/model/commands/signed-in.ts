import fc from 'fast-check';
import { signedInSpecArb, type EventSpec } from '../../arbitraries/events';
import { EventCommand } from './event-command';
import { describeToken } from './token-text';

/** A signed-in customer writes in, with a good token in some claim combination or a bad one. */
export class SignedInCommand extends EventCommand {
  toString(): string {
    return `signed-in ${describeToken((this.spec as Extract<EventSpec, { kind: 'signed-in' }>).token)}`;
  }
}

export function signedInCommandArb(): fc.Arbitrary<SignedInCommand> {
  return signedInSpecArb().map((spec) => new SignedInCommand(spec));
}
