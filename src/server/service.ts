import { importUsers, readCsvImport } from '../admin/import';
import type { ReadingProfile } from '../domain';
import { IdmatrixError, InvalidImportError, MalformedScenarioError } from '../errors';
import { parseScenarioText } from '../replay/parse';
import { parseImportRequest, type Health, type ImportReportDocument, type ImportRequest, type ImportResponse } from '../replay/protocol';
import { replay } from '../replay/run';
import type { ReplayResult, Scenario } from '../replay/types';
import { validateScenario } from '../replay/validate';

/**
 * The reference engine as a target, whatever carries the requests (HTTP in ./http.ts, JSON Lines in
 * ./stdio.ts): one reading profile for the service's life, a fresh in-memory store per request.
 */
export class Service {
  constructor(
    readonly profile: ReadingProfile,
    private readonly version: string,
  ) {}

  health(): Health {
    return { status: 'ok', name: 'idmatrix reference engine', version: this.version, reading: this.profile, supports: ['replay', 'import'] };
  }

  replay(scenario: Scenario): Promise<ReplayResult> {
    return replay(scenario, { profile: this.profile });
  }

  async import(request: ImportRequest): Promise<ImportResponse> {
    let reports: ImportReportDocument[] = [];
    // Each file is read before anything runs: a file that cannot be read at all is a malformed request.
    const rows = request.files.map((file, index) => {
      try {
        return readCsvImport(file.csv);
      } catch (error) {
        if (error instanceof InvalidImportError) throw new MalformedScenarioError(`files[${index}].csv`, error.message);
        throw error;
      }
    });
    const result = await replay(request.scenario, {
      profile: this.profile,
      prepare: (engine) => {
        reports = request.files.map((file, index) => importUsers(engine.store, rows[index] ?? [], file.batch));
      },
    });
    return { reports, result };
  }
}

/** A request, read strictly (replay.md): a scenario, an import request, or a refusal naming the path at fault. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly path: string; readonly message: string };

export function refusal(error: unknown): { ok: false; path: string; message: string } {
  if (error instanceof MalformedScenarioError) return { ok: false, path: error.path, message: error.detail };
  if (error instanceof IdmatrixError) return { ok: false, path: '$', message: error.message };
  throw error;
}

export function readScenarioDocument(doc: unknown): Parsed<Scenario> {
  try {
    return { ok: true, value: validateScenario(doc) };
  } catch (error) {
    return refusal(error);
  }
}

export function readImportDocument(doc: unknown): Parsed<ImportRequest> {
  try {
    return { ok: true, value: parseImportRequest(doc) };
  } catch (error) {
    return refusal(error);
  }
}

/** Strict JSON text (no member name twice, no raw control characters), as replay.md wants a scenario file. */
export function readJsonText(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: parseScenarioText(text) };
  } catch (error) {
    return refusal(error);
  }
}
