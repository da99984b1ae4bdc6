import { importUsers as importIntoStore, readCsvImport, type ImportReport } from '../../src/admin/import';
import { whatIf, type WhatIfReport } from '../../src/admin/what-if';
import { Engine } from '../../src/engine';
import { DEFAULT_KEYS } from '../../src/identity/keys';
import type { SettingId } from '../../src/policy/settings';
import { replay, tokenOf } from '../../src/replay/run';
import type { EventResult, KeyConfig, ReplayResult, Scenario, ScenarioEvent } from '../../src/replay/types';
import { parseNow } from '../../src/replay/validate';
import type { IdentityCounts } from '../../src/store/store';

/** A CSV file an administrator imports (ADMIN-IMPORT), with the batch label of the import. */
export interface ImportFile {
  readonly batch: string;
  readonly csv: string;
}

export interface ImportRun {
  /** One report per file, in order. */
  readonly reports: readonly ImportReport[];
  /** The result document of the scenario's events, which run after the imports. */
  readonly result: ReplayResult;
}

/**
 * The seam between the feature files and an implementation. Steps build a scenario document of
 * `replay.md` and hand it to a Target; they assert only on what comes back. The in-process reference
 * engine is the one Target today; another implementation (a service, a CLI) can stand behind the same
 * interface. ADMIN-IMPORT and ADMIN-UNVERIFIED-COUNT are not replay events, hence their own methods.
 * Every call starts from an empty account: a Target keeps nothing between calls.
 */
export interface Target {
  readonly name: string;
  /** `replay.md`: the result document of the scenario. */
  replay(scenario: Scenario): Promise<ReplayResult>;
  /** ADMIN-IMPORT: the starting users, then each file imported in order, then the scenario's events. */
  importUsers(scenario: Scenario, files: readonly ImportFile[]): Promise<ImportRun>;
  /** ADMIN-UNVERIFIED-COUNT of the account once the scenario (and its imports) has run. */
  count(scenario: Scenario, files: readonly ImportFile[]): Promise<IdentityCounts>;
  /** ADMIN-SWITCH's what-if report: the scenario's events replayed under `setting`, and what would have gone elsewhere. */
  whatIf(scenario: Scenario, setting: SettingId): Promise<WhatIfReport>;
}

/** The reference engine of src/, in this process, a fresh in-memory store per call. */
export function referenceEngine(): Target {
  return {
    name: 'reference engine (in process)',
    replay: (scenario) => replay(scenario),
    async importUsers(scenario, files) {
      const { reports, result } = await runWithImports(scenario, files, () => undefined);
      return { reports, result };
    },
    async count(scenario, files) {
      if (files.length === 0) {
        let counts: IdentityCounts | undefined;
        await replay(scenario, { inspect: (engine) => (counts = engine.counts()) });
        return counts as unknown as IdentityCounts;
      }
      return (await runWithImports(scenario, files, (engine) => engine.counts())).extra;
    },
    whatIf: (scenario, setting) => whatIf(scenario, setting),
  };
}

/**
 * The runner of src/replay/run.ts with the imports between the starting users and the events. The
 * runner has no hook for that (see the report of issue 4), so this repeats its loop over the Engine's
 * public methods; a scenario without imports always goes through `replay` itself.
 */
async function runWithImports<T>(
  scenario: Scenario,
  files: readonly ImportFile[],
  inspect: (engine: Engine) => T,
): Promise<ImportRun & { extra: T }> {
  const now = scenario.now !== undefined ? parseNow(scenario.now) : Math.floor(Date.now() / 1000);
  const keys = scenario.keys ?? DEFAULT_KEYS;
  const engine = await Engine.open({ settings: scenario.settings, keys, now: () => now });
  try {
    engine.addUsers(scenario.users ?? []);
    const reports = files.map((file) => importIntoStore(engine.store, readCsvImport(file.csv), file.batch));
    const results: EventResult[] = [];
    for (const event of scenario.events) results.push(await runEvent(engine, event, keys[0] as KeyConfig));
    const { users, conversations } = engine.snapshot();
    const extra = inspect(engine);
    return { reports, result: { settings: scenario.settings, results, users, conversations }, extra };
  } finally {
    engine.close();
  }
}

function runEvent(engine: Engine, event: ScenarioEvent, signingKey: KeyConfig): EventResult | Promise<EventResult> {
  switch (event.type) {
    case 'visitor':
      return engine.visitor(event.ref, { name: event.name, email: event.email });
    case 'signed-in':
      return engine.signedIn(event.ref, tokenOf(event, signingKey));
    case 'login':
      return engine.login(event.ref, event.conversation, tokenOf(event, signingKey));
    case 'merge':
      return engine.merge(event.ref, event.from, event.into);
    case 'settings':
      return engine.switchSettings(event.ref, {
        emailIdentities: event.emailIdentities,
        unauthenticatedCanClaimVerified: event.unauthenticatedCanClaimVerified,
      });
  }
}
