import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { InvalidKeyError, MalformedScenarioError } from '../errors';
import { describeAddressProblem, parseAddress } from '../identity/email';
import { validateKeyConfigs } from '../identity/keys';
import { MAX_EXTERNAL_ID_LENGTH } from '../identity/external-id';
import { parseNow } from './now';
import { parseScenarioText } from './parse';
import { quote } from '../quote';
import { formatPath, type PathSegment } from './path';
import { firstSchemaFailure } from './schema-errors';
import resultSchema from './schema/result.schema.json';
import scenarioSchema from './schema/scenario.schema.json';
import type { KeyConfig, Scenario } from './types';

/**
 * Validation of the two documents of `replay.md`. The shape is checked against the JSON Schemas that
 * ship in ./schema (one failure reported: the first in document order), then a scenario gets the
 * checks a schema cannot make (dates, key secrets, unique refs, address invariants, login targets).
 */

/** A result document that does not follow `replay.md` (used by tests on the runner's output). */
export class InvalidResultError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'InvalidResultError';
  }
}

// Compiled once, at module load. allErrors and verbose: schema-errors.ts picks the first failure in
// document order and tells errors apart by their parent schema.
const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: true, strictRequired: false, verbose: true });
addFormats(ajv, ['date-time']);
const checkScenarioShape = ajv.compile(scenarioSchema);
const checkResultShape = ajv.compile(resultSchema);


// ---------------------------------------------------------------------------------------------------
// Public API

/** The scenario clock in whole epoch seconds (see now.ts); the runner reads it from here. */
export { parseNow };

/** What lies outside the file when a scenario is appended to a store (`replay --db` on an existing file). */
export interface ScenarioContext {
  /** The type of the accepted event `ref` recorded before this file (a store's event log), if any. */
  readonly earlierEvent?: (ref: string) => string | undefined;
}

/** Parses and validates a scenario file's text. */
export function loadScenario(text: string, context: ScenarioContext = {}): Scenario {
  return validateScenario(parseScenarioText(text), context);
}

/** Checks a parsed scenario document against `replay.md`; throws MalformedScenarioError naming the path. */
export function validateScenario(doc: unknown, context: ScenarioContext = {}): Scenario {
  if (!checkScenarioShape(doc)) {
    const failure = firstSchemaFailure(doc, checkScenarioShape.errors ?? [], 'the scenario', scenarioSchema);
    throw new MalformedScenarioError(failure.path, failure.detail);
  }
  const scenario = doc as unknown as Scenario;
  new MeaningChecks(scenario, context).run();
  return scenario;
}

/** Checks a result document against result.schema.json; throws InvalidResultError naming the path. */
export function validateResult(doc: unknown): void {
  if (!checkResultShape(doc)) {
    const failure = firstSchemaFailure(doc, checkResultShape.errors ?? [], 'the result', resultSchema);
    throw new InvalidResultError(failure.path, failure.detail);
  }
}

// ---------------------------------------------------------------------------------------------------
// The checks a schema cannot make, in document order

class MeaningChecks {
  private readonly userRefs = new Map<string, number>();

  constructor(
    private readonly scenario: Scenario,
    private readonly context: ScenarioContext,
  ) {
    (scenario.users ?? []).forEach((user, index) => {
      if (!this.userRefs.has(user.ref)) this.userRefs.set(user.ref, index);
    });
  }

  run(): void {
    for (const member of Object.keys(this.scenario)) {
      if (member === 'now' && this.scenario.now !== undefined) parseNow(this.scenario.now);
      else if (member === 'keys' && this.scenario.keys !== undefined) this.checkKeys(this.scenario.keys);
      else if (member === 'users') this.checkUsers();
      else if (member === 'events') this.checkEvents();
    }
  }

  private fail(segments: PathSegment[], detail: string): never {
    throw new MalformedScenarioError(formatPath(segments), detail);
  }

  private checkKeys(keys: readonly KeyConfig[]): void {
    try {
      validateKeyConfigs(keys);
    } catch (error) {
      if (!(error instanceof InvalidKeyError)) throw error;
      if (keys.length === 0) this.fail(['keys'], 'must not be empty (leave "keys" out to use the default key)');
      this.fail(error.member === null ? ['keys', error.index] : ['keys', error.index, error.member], error.message);
    }
  }

  private checkUsers(): void {
    const users = this.scenario.users ?? [];
    const addressHolders = new Map<string, { user: number; email: number; address: string }>();
    const externalIds = new Map<string, number>();
    users.forEach((user, u) => {
      for (const member of Object.keys(user)) {
        if (member === 'ref') {
          const first = this.userRefs.get(user.ref);
          if (first !== undefined && first !== u) {
            this.fail(['users', u, 'ref'], `${quote(user.ref)} is already the ref of users[${first}]`);
          }
        } else if (member === 'externalId' && typeof user.externalId === 'string') {
          const id = user.externalId;
          if (id.length > MAX_EXTERNAL_ID_LENGTH) {
            this.fail(['users', u, 'externalId'], `must be at most ${MAX_EXTERNAL_ID_LENGTH} UTF-16 code units (has ${id.length})`);
          }
          const holder = externalIds.get(id);
          if (holder !== undefined) {
            this.fail(['users', u, 'externalId'], `${quote(id)} is already the external id of users[${holder}]`);
          }
          externalIds.set(id, u);
        } else if (member === 'emails') {
          (user.emails ?? []).forEach((email, e) => {
            const path = ['users', u, 'emails', e, 'address'];
            const parsed = parseAddress(email.address);
            if (!parsed.usable) {
              this.fail(path, `${quote(email.address)} is not a usable address: it ${describeAddressProblem(parsed.problem)}`);
            }
            const holder = addressHolders.get(parsed.normalised);
            if (holder !== undefined) {
              const where = `users[${holder.user}].emails[${holder.email}].address`;
              const spelled =
                holder.address === email.address ? '' : `, ${quote(holder.address)}: the same address once trimmed and A-Z folded`;
              const address = quote(email.address);
              this.fail(
                path,
                holder.user === u
                  ? `${address} is listed twice for this user (${where}${spelled})`
                  : `${address} is already held by users[${holder.user}] (${where}${spelled})`,
              );
            }
            addressHolders.set(parsed.normalised, { user: u, email: e, address: email.address });
          });
        }
      }
    });
  }

  private checkEvents(): void {
    const events = this.scenario.events;
    const firstByRef = new Map<string, number>();
    events.forEach((event, index) => {
      if (!firstByRef.has(event.ref)) firstByRef.set(event.ref, index);
    });
    events.forEach((event, i) => {
      for (const member of Object.keys(event)) {
        if (member === 'ref') {
          const user = this.userRefs.get(event.ref);
          if (user !== undefined) this.fail(['events', i, 'ref'], `${quote(event.ref)} is already the ref of users[${user}]`);
          const first = firstByRef.get(event.ref);
          if (first !== undefined && first !== i) {
            this.fail(['events', i, 'ref'], `${quote(event.ref)} is already the ref of events[${first}]`);
          }
        } else if (member === 'conversation' && event.type === 'login') {
          const target = event.conversation;
          const expected = 'a login names an earlier visitor event';
          const j = firstByRef.get(target);
          const path = ['events', i, 'conversation'];
          if (j === undefined && this.context.earlierEvent !== undefined) {
            // Appending to a store: a login may name a visitor conversation the store holds.
            const earlier = this.context.earlierEvent(target);
            if (earlier === 'visitor') continue;
            if (earlier !== undefined) this.fail(path, `${quote(target)} is ${/^[aeiou]/.test(earlier) ? 'an' : 'a'} ${earlier} event of the store; ${expected}`);
            this.fail(path, `${quote(target)} is the ref of no event of this file or of the store; ${expected}`);
          }
          if (j === undefined) this.fail(path, `${quote(target)} is not the ref of any event; ${expected}`);
          if (j === i) this.fail(path, `${quote(target)} is this event's own ref; ${expected}`);
          if (j > i) this.fail(path, `${quote(target)} is a later event (events[${j}]); ${expected}`);
          const kind = (events[j] as { type: string }).type;
          if (kind !== 'visitor') this.fail(path, `${quote(target)} is a ${kind} event (events[${j}]); ${expected}`);
        }
      }
    });
  }
}
