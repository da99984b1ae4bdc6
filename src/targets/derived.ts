import { whatIf, type WhatIfReport } from '../admin/what-if';
import type { SettingId } from '../domain';
import type { ReplayResult, Scenario } from '../replay/types';
import type { Target } from './target';

/**
 * What the harness computes from a target's replay results instead of asking the target:
 * ADMIN-UNVERIFIED-COUNT (from the users of a result) and ADMIN-SWITCH's what-if report (from two
 * replays). The reference engine's own `count` command reads the same numbers from its store.
 */
export interface Counts {
  /** Users (not merged away) holding no verified identity: the seed's `is_verified:false` search. */
  readonly usersWithoutVerifiedIdentity: number;
  readonly unverifiedIdentities: number;
  readonly users: number;
}

export function countsOf(result: Pick<ReplayResult, 'users'>): Counts {
  const live = result.users.filter((user) => user.mergedInto === undefined);
  return {
    usersWithoutVerifiedIdentity: live.filter((user) => !user.emails.some((email) => email.verified)).length,
    unverifiedIdentities: live.reduce((sum, user) => sum + user.emails.filter((email) => !email.verified).length, 0),
    users: live.length,
  };
}

/** The what-if report of `scenario` under `setting`, from the target's replays of it and of its alternative. */
export function whatIfThrough(target: Target, scenario: Scenario, setting: SettingId): Promise<WhatIfReport> {
  return whatIf(scenario, setting, (document) => target.replay(document));
}
