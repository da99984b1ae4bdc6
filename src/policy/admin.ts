import { IdmatrixError } from '../errors';
import { settingIdOf, type Decision, type Effect, type Settings, type StoreReader } from '../domain';
import { rejected } from './decision';

/**
 * ADMIN-MERGE: an agent merges `fromRef` into `intoRef`. Refused (merge-refused, nothing written) when
 * either ref names no user, either user was merged away already, both name the same user, or both
 * have an external id.
 */
export function decideMerge(reader: StoreReader, fromRef: string, intoRef: string): Decision {
  const from = reader.userByRef(fromRef);
  const into = reader.userByRef(intoRef);
  const refuse = (message: string) => rejected('ADMIN-MERGE', 'merge-refused', message);
  if (from === undefined) return refuse(`no user "${fromRef}" to merge`);
  if (into === undefined) return refuse(`no user "${intoRef}" to merge into`);
  if (from.mergedInto !== null) return refuse(`user "${fromRef}" was merged away already`);
  if (into.mergedInto !== null) return refuse(`user "${intoRef}" was merged away already`);
  if (from.id === into.id) return refuse(`"${fromRef}" and "${intoRef}" name the same user`);
  if (from.externalId !== null && into.externalId !== null) {
    return refuse(`both users have an external id ("${from.externalId}", "${into.externalId}"); agents cannot merge them`);
  }
  const effects: Effect[] = [{ op: 'merge-user', from: from.id, into: into.id }];
  // Only the merged user has an external id: it moves along (after merge-user has cleared it).
  if (from.externalId !== null) effects.push({ op: 'set-external-id', user: into.id, externalId: from.externalId });
  return { rule: 'ADMIN-MERGE', outcome: 'merged', flags: [], user: into.id, effects };
}

/** ADMIN-SWITCH: a new setting for later events; the invalid combination is refused and nothing changes. */
export function decideSwitch(settings: Settings): Decision {
  try {
    settingIdOf(settings);
  } catch (error) {
    if (error instanceof IdmatrixError && error.code === 'invalid-settings') {
      return rejected('ADMIN-SWITCH', 'invalid-settings', error.message);
    }
    throw error;
  }
  return { rule: 'ADMIN-SWITCH', outcome: 'applied', flags: [], user: null, effects: [{ op: 'set-settings', settings }] };
}
