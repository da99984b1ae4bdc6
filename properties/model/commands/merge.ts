import fc from 'fast-check';
import { mergeSpecArb, type EventSpec } from '../../arbitraries/events';
import { EventCommand } from './event-command';

/** An agent merges two refs: starting users, created users (merged away or not), or `ghost`. */
export class MergeCommand extends EventCommand {
  toString(): string {
    const spec = this.spec as Extract<EventSpec, { kind: 'merge' }>;
    return `merge candidate #${spec.from} into candidate #${spec.into}`;
  }
}

export function mergeCommandArb(): fc.Arbitrary<MergeCommand> {
  return mergeSpecArb().map((spec) => new MergeCommand(spec));
}
