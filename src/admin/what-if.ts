import { settingIdOf, settingsOf, type SettingId } from '../domain';
import { replay } from '../replay/run';
import type { EventResult, Scenario } from '../replay/types';

export interface WhatIfDifference {
  readonly ref: string;
  readonly actual: Pick<EventResult, 'outcome' | 'rule' | 'user'>;
  readonly whatIf: Pick<EventResult, 'outcome' | 'rule' | 'user'>;
}

export interface WhatIfReport {
  readonly actual: SettingId;
  readonly whatIf: SettingId;
  /** Events that would have gone elsewhere (another user, rule or outcome), in event order. */
  readonly differences: readonly WhatIfDifference[];
  readonly unchanged: number;
  /** Settings events of the recording, which the what-if run leaves out (it holds one setting throughout). */
  readonly skippedSettingsEvents: readonly string[];
}

/**
 * ADMIN-SWITCH's what-if report: replays a recorded scenario as it is, and again with `setting` in
 * force from the start (its own settings events left out), and lists the events whose result differs.
 */
export async function whatIf(scenario: Scenario, setting: SettingId): Promise<WhatIfReport> {
  const skippedSettingsEvents = scenario.events.filter((event) => event.type === 'settings').map((event) => event.ref);
  const alternative: Scenario = {
    ...scenario,
    settings: settingsOf(setting),
    events: scenario.events.filter((event) => event.type !== 'settings'),
  };
  const [recorded, replayed] = await Promise.all([replay(scenario), replay(alternative)]);
  const byRef = new Map(replayed.results.map((result) => [result.ref, result]));
  const differences: WhatIfDifference[] = [];
  let unchanged = 0;
  for (const actual of recorded.results) {
    const other = byRef.get(actual.ref);
    if (other === undefined) continue;
    if (actual.outcome === other.outcome && actual.rule === other.rule && actual.user === other.user) {
      unchanged++;
    } else {
      differences.push({ ref: actual.ref, actual: pick(actual), whatIf: pick(other) });
    }
  }
  return { actual: settingIdOf(scenario.settings), whatIf: setting, differences, unchanged, skippedSettingsEvents };
}

function pick(result: EventResult): WhatIfDifference['actual'] {
  return { outcome: result.outcome, rule: result.rule, user: result.user };
}
