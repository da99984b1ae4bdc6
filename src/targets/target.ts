import type { ReadingProfile } from '../domain';
import type { ImportFile, ImportReportDocument } from '../replay/protocol';
import type { ReplayResult, Scenario } from '../replay/types';

/**
 * The seam between the harness (the feature steps, `conform`, `check --target`) and an implementation
 * under test. The harness builds scenario documents of `replay.md` and hands them to a Target; it judges
 * only what comes back. Every call starts from an empty account: a Target keeps nothing between calls.
 * ADMIN-UNVERIFIED-COUNT and the what-if report are not asked of a target: the harness computes them
 * from its replay results (./derived.ts). ADMIN-IMPORT is optional.
 *
 * One file per kind: reference.ts (the engine in this process), http.ts (`http://host:port`), cmd.ts
 * (`cmd:<command line>`, JSON Lines); open.ts reads a target's name and wraps it in checked.ts, which
 * validates every answer against the JSON Schemas.
 */
export interface Target {
  /** How the reports name it: `reference:seed`, `http://127.0.0.1:8080`, `cmd:python3 target.py`. */
  readonly name: string;
  /** What the target says of itself (its health answer), asked once. */
  info(): Promise<TargetInfo>;
  /** `replay.md`: the result document of the scenario. Throws TargetFailure when no valid result comes back. */
  replay(scenario: Scenario): Promise<ReplayResult>;
  /**
   * ADMIN-IMPORT: the starting users, then each file imported in order, then the scenario's events.
   * Throws NotSupported when the target does not serve imports.
   */
  importUsers(scenario: Scenario, files: readonly ImportFile[]): Promise<ImportRun>;
  /** Ends the target's process or connections. */
  close(): Promise<void>;
}

export type { ImportFile };

export interface ImportRun {
  /** One report per file, in order. */
  readonly reports: readonly ImportReportDocument[];
  /** The result document of the scenario's events, which run after the imports. */
  readonly result: ReplayResult;
}

export interface TargetInfo {
  /** The reading profile the target says it follows, or null when it does not say. */
  readonly reading: ReadingProfile | null;
  readonly supportsImport: boolean;
  /** The target's own name for itself, if it gives one. */
  readonly name: string | null;
}

/**
 * Why a target gave no valid answer: `refused` (it called a valid scenario malformed), `malformed-result`
 * (the answer is not a document of the protocol), `bad-answer` (not JSON, an unexpected HTTP status, an
 * answer of another kind), `crash` (the process exited, the connection failed), `timeout`.
 */
export type FailureKind = 'refused' | 'malformed-result' | 'bad-answer' | 'crash' | 'timeout';

/** The target gave no valid answer to one request; the run goes on with the next one. */
export class TargetFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'TargetFailure';
  }
}

/** The target does not serve this kind of request (ADMIN-IMPORT): "not supported by this target", never passed. */
export class NotSupported extends Error {
  constructor(readonly what: string) {
    super(`${what} is not supported by this target`);
    this.name = 'NotSupported';
  }
}
