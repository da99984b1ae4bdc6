import { importUsers as importIntoStore, readCsvImport, type ImportReport } from '../../src/admin/import';
import { whatIf, type WhatIfReport } from '../../src/admin/what-if';
import type { Engine } from '../../src/engine';
import type { SettingId } from '../../src/domain';
import { replay } from '../../src/replay/run';
import type { ReplayResult, Scenario } from '../../src/replay/types';
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
      let reports: ImportReport[] = [];
      const result = await replay(scenario, { prepare: (engine) => (reports = importFiles(engine, files)) });
      return { reports, result };
    },
    async count(scenario, files) {
      let counts: IdentityCounts | undefined;
      await replay(scenario, { prepare: (engine) => importFiles(engine, files), inspect: (engine) => (counts = engine.counts()) });
      return counts as IdentityCounts;
    },
    whatIf: (scenario, setting) => whatIf(scenario, setting),
  };
}

/** Imports the files in order, between the starting users and the first event. */
function importFiles(engine: Engine, files: readonly ImportFile[]): ImportReport[] {
  return files.map((file) => importIntoStore(engine.store, readCsvImport(file.csv), file.batch));
}
