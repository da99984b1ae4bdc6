import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { isReadingProfile, type ReadingProfile } from '../domain';
import { MalformedScenarioError } from '../errors';
import { quote } from '../quote';
import { formatPath, type PathSegment } from './path';
import protocolSchema from './schema/protocol.schema.json';
import resultSchema from './schema/result.schema.json';
import scenarioSchema from './schema/scenario.schema.json';
import type { ReplayResult, Scenario } from './types';
import { InvalidResultError, validateResult, validateScenario } from './validate';

/**
 * The target protocol's messages besides replay.md's two documents (schema/protocol.schema.json): the
 * import request and response (ADMIN-IMPORT), the health answer, and the refusal of a malformed request.
 * Both sides use these: the harness validates what a target answers, `idmatrix serve` what it is sent.
 */

export interface ImportFile {
  readonly batch: string;
  readonly csv: string;
}

export interface ImportRequest {
  readonly scenario: Scenario;
  readonly files: readonly ImportFile[];
}

/** One import file's report (src/admin/import.ts writes it; this is its form on the wire). */
export interface ImportReportDocument {
  readonly batch: string;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Rows an earlier run of the same batch imported already. */
  readonly skipped: number;
  readonly rejected: number;
  readonly rows: readonly {
    readonly line: number;
    readonly column?: number;
    readonly outcome: 'created' | 'updated' | 'unchanged' | 'skipped' | 'rejected';
    readonly user: string | null;
    readonly error?: { readonly code: string; readonly message: string };
  }[];
}

export interface ImportResponse {
  readonly reports: readonly ImportReportDocument[];
  readonly result: ReplayResult;
}

export interface Health {
  readonly status: 'ok';
  readonly name?: string;
  readonly version?: string;
  readonly reading?: ReadingProfile;
  readonly supports?: readonly ('replay' | 'import')[];
}

/** What the harness takes from a health answer. */
export interface DeclaredInfo {
  readonly reading: ReadingProfile | null;
  readonly supportsImport: boolean;
  readonly name: string | null;
}

const ajv = new Ajv2020({ allErrors: false, discriminator: true, strict: true, strictRequired: false });
addFormats(ajv, ['date-time']);
ajv.addSchema(scenarioSchema).addSchema(resultSchema).addSchema(protocolSchema);
const checkImportResponseShape = ajv.compile({ $ref: 'https://idmatrix.dev/schema/protocol.schema.json#/$defs/importResponse' });
const checkHealthShape = ajv.compile({ $ref: 'https://idmatrix.dev/schema/protocol.schema.json#/$defs/health' });

/**
 * An import request (a parsed JSON document): its scenario is checked as replay.md says (paths prefixed
 * with `scenario`), its files by hand. Throws MalformedScenarioError naming the path at fault.
 */
export function parseImportRequest(doc: unknown): ImportRequest {
  const fail = (segments: PathSegment[], detail: string): never => {
    throw new MalformedScenarioError(formatPath(segments), detail);
  };
  if (!isObject(doc)) return fail([], 'expected object (an import request: {"scenario": …, "files": […]})');
  for (const member of Object.keys(doc)) {
    if (member !== 'scenario' && member !== 'files') fail([member], 'is not a member of an import request (see protocol.schema.json)');
  }
  if (!('scenario' in doc)) fail(['scenario'], 'is required');
  if (!('files' in doc)) fail(['files'], 'is required');
  let scenario: Scenario;
  try {
    scenario = validateScenario(doc.scenario);
  } catch (error) {
    if (!(error instanceof MalformedScenarioError)) throw error;
    const path = error.path === '$' ? 'scenario' : error.path.startsWith('$[') ? `scenario${error.path.slice(1)}` : `scenario.${error.path}`;
    throw new MalformedScenarioError(path, error.detail);
  }
  const files = doc.files;
  if (!Array.isArray(files)) return fail(['files'], 'expected array');
  const batches = new Set<string>();
  files.forEach((file: unknown, index) => {
    if (!isObject(file)) fail(['files', index], 'expected object ({"batch": <string>, "csv": <string>})');
    const entry = file as Record<string, unknown>;
    for (const member of Object.keys(entry)) if (member !== 'batch' && member !== 'csv') fail(['files', index, member], 'is not a member of an import file');
    if (typeof entry.batch !== 'string') fail(['files', index, 'batch'], entry.batch === undefined ? 'is required' : 'expected string');
    if (entry.batch === '') fail(['files', index, 'batch'], 'must not be empty');
    if (batches.has(entry.batch as string)) fail(['files', index, 'batch'], `${quote(entry.batch as string)} is the batch of an earlier file`);
    batches.add(entry.batch as string);
    if (typeof entry.csv !== 'string') fail(['files', index, 'csv'], entry.csv === undefined ? 'is required' : 'expected string');
  });
  return { scenario, files: files as ImportFile[] };
}

/** Checks a target's import response; throws InvalidResultError naming the path at fault. */
export function validateImportResponse(doc: unknown): ImportResponse {
  if (!checkImportResponseShape(doc)) {
    const error = checkImportResponseShape.errors?.[0];
    const candidate: unknown = doc;
    const result = isObject(candidate) ? candidate.result : undefined;
    // A fault in the result document is named as validateResult names it.
    if (error?.instancePath.startsWith('/result') && result !== undefined) {
      try {
        validateResult(result);
      } catch (inner) {
        if (inner instanceof InvalidResultError) throw new InvalidResultError(inner.path === '$' ? 'result' : `result.${inner.path}`, inner.detail);
        throw inner;
      }
    }
    const path = error ? pointerPath(error.instancePath) : '$';
    throw new InvalidResultError(path, error?.message ?? 'is not an import response');
  }
  return doc as unknown as ImportResponse;
}

/** What a health answer declares; null when it is not one (a target that does not answer the question). */
export function readHealth(doc: unknown): DeclaredInfo | null {
  if (!isObject(doc) || doc.status !== 'ok') return null;
  // Read leniently: a target may say more than the schema lists; only these members are taken.
  const reading = isReadingProfile(doc.reading) ? doc.reading : null;
  const supports = Array.isArray(doc.supports) ? doc.supports : [];
  return { reading, supportsImport: supports.includes('import'), name: typeof doc.name === 'string' ? doc.name : null };
}

/** Checks a health document strictly (what `idmatrix serve` answers). */
export function isHealth(doc: unknown): doc is Health {
  return checkHealthShape(doc) as boolean;
}

function pointerPath(pointer: string): string {
  if (pointer === '') return '$';
  return formatPath(pointer.slice(1).split('/').map((raw) => {
    const name = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(name) ? Number(name) : name;
  }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
