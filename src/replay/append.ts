import { settingIdOf, type SettingId } from '../domain';
import { MalformedScenarioError } from '../errors';
import { quote } from '../quote';
import type { Scenario } from './types';

/** What appending a scenario to an existing store must know of it. */
export interface StoreFacts {
  /** The setting in force. */
  readonly setting: SettingId;
  /** The type of the logged (accepted) event `ref`, if any. */
  readonly loggedType: (ref: string) => string | undefined;
  /** Whether a user of the store has this ref. */
  readonly hasUser: (ref: string) => boolean;
}

/**
 * The rules of appending a scenario's events to an existing store (`replay --db`, docs/decisions.md 7):
 * the store has its users, so the file gives none; the file's `settings` are the store's setting in
 * force; no event ref is one the store's log holds already, nor a user's ref. Throws
 * MalformedScenarioError naming the JSON path at fault, before anything is written. (A login naming a
 * visitor conversation of the store is checked with the file: loadScenario's context.)
 */
export function checkAppend(scenario: Scenario, store: StoreFacts): void {
  const fileSetting = settingIdOf(scenario.settings);
  if (fileSetting !== store.setting) {
    throw new MalformedScenarioError(
      'settings',
      `this file is recorded under "${fileSetting}", but the store's setting in force is "${store.setting}"; appending needs the same setting (change it with idmatrix switch, or edit the file)`,
    );
  }
  if ((scenario.users ?? []).length > 0) {
    throw new MalformedScenarioError('users', 'a file appended to a store gives no starting users: the store has its users (import them with idmatrix import)');
  }
  scenario.events.forEach((event, index) => {
    const logged = store.loggedType(event.ref);
    if (logged !== undefined) {
      throw new MalformedScenarioError(`events[${index}].ref`, `${quote(event.ref)} is already the ref of ${/^[aeiou]/.test(logged) ? 'an' : 'a'} ${logged} event in the store's log; each event is applied once`);
    }
    if (store.hasUser(event.ref)) {
      throw new MalformedScenarioError(`events[${index}].ref`, `${quote(event.ref)} is already the ref of a user of the store`);
    }
  });
}
