import type { ErrorObject } from 'ajv/dist/2020';
import { NOW_EXPECTED } from './now';
import { quote } from '../quote';
import { formatPath, type PathSegment } from './path';
import resultSchema from './schema/result.schema.json';
import scenarioSchema from './schema/scenario.schema.json';

/**
 * Turns ajv's errors on the shipped schemas into the one failure a person is shown: the first in
 * document order, with a JSON path and a sentence instead of a schema keyword. Errors are told apart
 * by their parent schema (ajv's `verbose` option), since ajv's schemaPath restarts at every
 * separately compiled $ref.
 */

export interface SchemaFailure {
  readonly path: string;
  readonly detail: string;
}

const scenarioDefs = scenarioSchema.$defs;
const EVENT_TYPES: readonly string[] = [
  scenarioDefs.visitorEvent,
  scenarioDefs.signedInEvent,
  scenarioDefs.loginEvent,
  scenarioDefs.mergeEvent,
  scenarioDefs.settingsEvent,
].map((branch) => branch.properties.type.const);

interface Failure extends SchemaFailure {
  /** Where in the document the failure is noticed: member/element positions, for ordering. */
  readonly position: readonly number[];
  readonly rank: number;
}

/** Among failures at one position: a wrong type first, then an unknown member, then the rest. */
const KEYWORD_RANK: Record<string, number> = {
  type: 0,
  discriminator: 1,
  additionalProperties: 2,
  'false schema': 3,
  const: 4,
  enum: 4,
  required: 5,
};

const AT_END = Number.MAX_SAFE_INTEGER;

/**
 * The first failure among `errors` (from validating `doc` against `root`, with allErrors and verbose);
 * `rootName` names the root document in "is not a member of ..." messages.
 */
export function firstSchemaFailure(doc: unknown, errors: readonly ErrorObject[], rootName: string, root: object): SchemaFailure {
  const failures = errors
    .map((error) => describe(doc, error, rootName, root))
    .filter((failure): failure is Failure => failure !== null)
    .sort(compareFailures);
  const first = failures[0];
  if (first) return { path: first.path, detail: first.detail };
  // Unreachable while every error the schemas can raise is described; never hide a failure.
  const error = errors[0];
  return { path: error ? formatPath(pointerSegments(doc, error.instancePath)) : '$', detail: error?.message ?? 'is not valid' };
}

function compareFailures(a: Failure, b: Failure): number {
  const n = Math.min(a.position.length, b.position.length);
  for (let i = 0; i < n; i++) {
    const d = (a.position[i] as number) - (b.position[i] as number);
    if (d !== 0) return d;
  }
  if (a.position.length !== b.position.length) return a.position.length - b.position.length;
  if (a.rank !== b.rank) return a.rank - b.rank;
  const key = (f: Failure) => `${f.path}\u0000${f.detail}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function describe(doc: unknown, error: ErrorObject, rootName: string, root: object): Failure | null {
  const base = pointerSegments(doc, error.instancePath);
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  const params = error.params as Record<string, unknown>;
  const rank = KEYWORD_RANK[error.keyword] ?? 6;
  const at = (segments: PathSegment[], detail: string, atEnd = false): Failure => ({
    path: formatPath(segments),
    detail,
    position: positionOf(doc, segments, atEnd),
    rank,
  });

  // Errors inside a branch of claims-xor-token: the branch's `oneOf` error says it better.
  if (parent && (scenarioDefs.tokenSource.oneOf as readonly object[]).includes(parent)) return null;

  switch (error.keyword) {
    case 'required':
      // A missing member is noticed where its object ends.
      return at([...base, String(params.missingProperty)], 'is required', true);
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const what = parent === root ? rootName : typeof parent?.title === 'string' ? parent.title : 'this object';
      return at([...base, name], `is not a member of ${what} (see replay.md)`);
    }
    case 'type':
      return at(base, `expected ${expectedTypes(params.type)}`);
    case 'enum': {
      if (parent === resultSchema.$defs.flags) return at(base, 'must list each flag at most once, sorted alphabetically', true);
      const values = (params.allowedValues as unknown[]).map(show).join(', ');
      return at(base, `expected one of ${values}`);
    }
    case 'const':
      return at(base, `expected ${show(params.allowedValue)}`);
    case 'minLength':
      return at(base, params.limit === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} characters`);
    case 'maxLength':
      return at(base, `must be at most ${String(params.limit)} UTF-16 code units`);
    case 'minItems':
      if (parent === scenarioSchema.properties.keys) {
        return at(base, 'must not be empty (leave "keys" out to use the default key)', true);
      }
      return at(base, `must have at least ${String(params.limit)} item(s)`, true);
    case 'maxItems':
      return at(base, params.limit === 0 ? 'must be empty here' : `must have at most ${String(params.limit)} items`, true);
    case 'uniqueItems':
      return at(base, `lists the same item twice (items ${String(params.j)} and ${String(params.i)})`, true);
    case 'pattern':
      if (parent === scenarioDefs.ref) return at(base, 'must not begin with "new:" (that prefix names users created by events)');
      if (parent === scenarioSchema.properties.now) return at(base, `${quote(String(dataAt(doc, base)))} is not ${NOW_EXPECTED}`);
      return at(base, `must match the pattern ${String(params.pattern)}`);
    case 'format':
      return at(base, `${quote(String(dataAt(doc, base)))} is not ${NOW_EXPECTED}`);
    case 'discriminator': {
      const tag = String(params.tag);
      const value = dataAt(doc, [...base, tag]);
      if (value === undefined) return null; // the `required` error names the missing member
      if (params.error === 'tag') return at([...base, tag], 'expected string');
      const known = EVENT_TYPES.map((t) => quote(t)).join(', ');
      return at([...base, tag], `unknown event type ${quote(String(value))} (expected one of ${known})`);
    }
    case 'oneOf':
      if (parent === scenarioDefs.tokenSource) return at(base, 'give exactly one of "claims" and "token"', true);
      return at(base, 'matches none or several of the allowed shapes', true);
    case 'false schema': {
      const name = base[base.length - 1];
      if (name === 'header' || name === 'kid') return at(base, 'cannot be given with "token"');
      if (name === 'error') return at(base, 'only a rejected result has "error"');
      return at(base, 'is not allowed here');
    }
    case 'not':
      if (parent === scenarioDefs.initialSettings || parent === resultSchema.$defs.settings) {
        return at(
          [...base, 'unauthenticatedCanClaimVerified'],
          'cannot be true with "emailIdentities": "verified-only" (the claim option exists only with "verified-and-unverified")',
        );
      }
      return at(base, 'is not allowed here');
    case 'if':
      return null; // reported by the errors of its `then` / `else`
    default:
      return at(base, error.message ?? `fails "${error.keyword}"`);
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

function expectedTypes(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(',');
  return types.join(' or ');
}

/** The segments of a JSON pointer, with array indices as numbers. */
function pointerSegments(doc: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const name = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(name);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(name);
      node = isObject(node) ? node[name] : undefined;
    }
  }
  return segments;
}

function dataAt(doc: unknown, segments: readonly PathSegment[]): unknown {
  let node: unknown = doc;
  for (const segment of segments) {
    if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
    else node = isObject(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
  }
  return node;
}

/**
 * Member and element positions along `segments`. A member that is not there (a missing one) sorts at
 * the end of its object, and `atEnd` puts a failure after everything inside the node it names.
 */
function positionOf(doc: unknown, segments: readonly PathSegment[], atEnd: boolean): number[] {
  const position: number[] = [];
  let node: unknown = doc;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      position.push(segment);
      node = Array.isArray(node) ? node[segment] : undefined;
    } else if (isObject(node) && Object.hasOwn(node, segment)) {
      position.push(Object.keys(node).indexOf(segment));
      node = node[segment];
    } else {
      position.push(AT_END);
      node = undefined;
    }
  }
  if (atEnd) position.push(AT_END);
  return position;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
