import { importUsers, readCsvImport } from '../admin/import';
import type { ReadingProfile } from '../domain';
import type { Engine } from '../engine';
import { replay } from '../replay/run';
import type { ImportReportDocument } from '../replay/protocol';
import type { ImportFile, ImportRun, Target, TargetInfo } from './target';

/**
 * `reference`, `reference:seed`, `reference:doc`: the reference engine of src/, in this process, a fresh
 * in-memory store per call, deciding under the reading profile named.
 */
export function referenceTarget(profile: ReadingProfile): Target {
  const info: TargetInfo = { reading: profile, supportsImport: true, name: 'idmatrix reference engine' };
  return {
    name: profile === 'reference' ? 'reference' : `reference:${profile}`,
    info: async () => info,
    replay: (scenario) => replay(scenario, { profile }),
    async importUsers(scenario, files): Promise<ImportRun> {
      let reports: ImportReportDocument[] = [];
      const result = await replay(scenario, { profile, prepare: (engine) => (reports = importFiles(engine, files)) });
      return { reports, result };
    },
    close: async () => {},
  };
}

/** Imports the files in order, between the starting users and the first event. */
export function importFiles(engine: Engine, files: readonly ImportFile[]): ImportReportDocument[] {
  return files.map((file) => importUsers(engine.store, readCsvImport(file.csv), file.batch));
}
