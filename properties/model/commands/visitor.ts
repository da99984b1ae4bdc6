import fc from 'fast-check';
import { visitorSpecArb, type EventSpec } from '../../arbitraries/events';
import { PEOPLE, spelling, UNUSABLE } from '../../arbitraries/values';
import { EventCommand } from './event-command';

/** A visitor writes in: no email, an unusable one, or an address of the pool in some spelling. */
export class VisitorCommand extends EventCommand {
  toString(): string {
    const spec = this.spec as Extract<EventSpec, { kind: 'visitor' }>;
    const name = spec.name === null ? '' : ` ${PEOPLE[spec.name]}`;
    const email = spec.email;
    const typed =
      email.kind === 'absent' ? 'no email' : email.kind === 'null' ? 'email null' : email.kind === 'address' ? JSON.stringify(spelling(email.address, email.variant)) : JSON.stringify(UNUSABLE[email.text]);
    return `visitor${name} (${typed})`;
  }
}

export function visitorCommandArb(): fc.Arbitrary<VisitorCommand> {
  return visitorSpecArb().map((spec) => new VisitorCommand(spec));
}
