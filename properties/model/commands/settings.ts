import fc from 'fast-check';
import { settingsSpecArb, type EventSpec } from '../../arbitraries/events';
import { EventCommand } from './event-command';

/** An admin switches the setting (the invalid combination included, which is refused). */
export class SettingsCommand extends EventCommand {
  toString(): string {
    const { settings } = this.spec as Extract<EventSpec, { kind: 'settings' }>;
    return `settings ${settings.emailIdentities}${settings.unauthenticatedCanClaimVerified ? ' + claim' : ''}`;
  }
}

export function settingsCommandArb(): fc.Arbitrary<SettingsCommand> {
  return settingsSpecArb().map((spec) => new SettingsCommand(spec));
}
