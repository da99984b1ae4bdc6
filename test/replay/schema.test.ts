import { strict as assert } from 'node:assert';
import { RULE_IDS } from '../../src/policy/rules';
import resultSchema from '../../src/replay/schema/result.schema.json';
import protocolSchema from '../../src/replay/schema/protocol.schema.json';
import scenarioSchema from '../../src/replay/schema/scenario.schema.json';
import { InvalidResultError, validateResult } from '../../src/replay/validate';
import { exampleResult } from '../fixtures/replay-example';

/** A result under edit: loosely typed on purpose, to build every wrong shape. */
type Doc = Record<string, any>;

function edited(edit: (doc: Doc) => void): Doc {
  const doc = exampleResult();
  edit(doc);
  return doc;
}

function invalid(doc: unknown, path: string, fragment: string): void {
  assert.throws(
    () => validateResult(doc),
    (error: unknown) => {
      assert.ok(error instanceof InvalidResultError, String(error));
      assert.equal(error.path, path, error.message);
      assert.ok(error.detail.includes(fragment), `expected ${JSON.stringify(fragment)} in: ${error.message}`);
      return true;
    },
  );
}

describe('result.schema.json (replay.md, Result)', () => {
  it('accepts the result example of replay.md', () => {
    validateResult(exampleResult());
  });

  it('accepts applied settings events, merged users and sorted flags', () => {
    validateResult(
      edited((d) => {
        d.results.push(
          { ref: 's1', outcome: 'applied', rule: 'ADMIN-SWITCH', user: null, flags: [] },
          { ref: 's2', outcome: 'rejected', rule: 'ADMIN-SWITCH', user: null, flags: [], error: { code: 'invalid-settings', message: 'no' } },
          { ref: 'c4', outcome: 'joined', rule: 'VISIT-CLAIM-VERIFIED', user: 'new:c2', flags: ['risk-anonymous-claim'] },
          { ref: 'c5', outcome: 'merged', rule: 'LOGIN-MERGE', user: 'new:c2', flags: ['email-conflict'] },
          { ref: 'c6', outcome: 'created', rule: 'VISIT-BAD-EMAIL', user: 'new:c6', flags: ['email-conflict', 'invalid-email', 'risk-anonymous-claim'] },
        );
        d.users.push({ ref: 'new:c5', externalId: null, name: null, emails: [], conversations: [], mergedInto: 'new:c2' });
      }),
    );
  });

  it('every rule ID of the catalog matches the rule pattern', () => {
    const pattern = new RegExp(resultSchema.$defs.result.properties.rule.pattern, 'u');
    for (const rule of RULE_IDS) assert.ok(pattern.test(rule), rule);
    for (const bad of ['auth-new', 'AUTH', 'AUTH-', 'AUTH--NEW', 'OTHER-RULE', 'AUTH-NEW ']) assert.ok(!pattern.test(bad), bad);
  });

  const broken: ReadonlyArray<{ name: string; doc: Doc; path: string; fragment: string }> = [
    { name: 'unknown outcome', doc: edited((d) => (d.results[0].outcome = 'accepted')), path: 'results[0].outcome', fragment: 'expected one of "joined", "created"' },
    { name: 'missing rule', doc: edited((d) => delete d.results[1].rule), path: 'results[1].rule', fragment: 'is required' },
    { name: 'rule not in the catalog form', doc: edited((d) => (d.results[1].rule = 'auth-new')), path: 'results[1].rule', fragment: 'must match' },
    { name: 'missing flags', doc: edited((d) => delete d.results[0].flags), path: 'results[0].flags', fragment: 'is required' },
    { name: 'unknown flag', doc: edited((d) => (d.results[0].flags = ['risky'])), path: 'results[0].flags[0]', fragment: 'expected one of "email-conflict"' },
    { name: 'flag listed twice', doc: edited((d) => (d.results[0].flags = ['invalid-email', 'invalid-email'])), path: 'results[0].flags', fragment: 'at most once' },
    { name: 'flags not sorted (the enum of sorted subsets)', doc: edited((d) => (d.results[0].flags = ['risk-anonymous-claim', 'email-conflict'])), path: 'results[0].flags', fragment: 'sorted alphabetically' },
    { name: 'rejected without error', doc: edited((d) => delete d.results[2].error), path: 'results[2].error', fragment: 'is required' },
    { name: 'rejected with a user', doc: edited((d) => (d.results[2].user = 'olga')), path: 'results[2].user', fragment: 'expected null' },
    { name: 'rejected with flags', doc: edited((d) => (d.results[2].flags = ['email-conflict'])), path: 'results[2].flags', fragment: 'must be empty' },
    { name: 'error on an accepted result', doc: edited((d) => (d.results[0].error = { code: 'conflict', message: 'x' })), path: 'results[0].error', fragment: 'only a rejected result' },
    { name: 'unknown error code', doc: edited((d) => (d.results[2].error.code = 'forbidden')), path: 'results[2].error.code', fragment: 'expected one of "invalid-token", "conflict", "invalid-settings", "merge-refused"' },
    { name: 'error without message', doc: edited((d) => delete d.results[2].error.message), path: 'results[2].error.message', fragment: 'is required' },
    { name: 'applied with another rule', doc: edited((d) => d.results.push({ ref: 's1', outcome: 'applied', rule: 'ADMIN-MERGE', user: null, flags: [] })), path: 'results[3].rule', fragment: 'expected "ADMIN-SWITCH"' },
    { name: 'unknown member in a result', doc: edited((d) => (d.results[0].setting = 'x')), path: 'results[0].setting', fragment: 'is not a member of an event result' },
    { name: 'user missing name', doc: edited((d) => delete d.users[0].name), path: 'users[0].name', fragment: 'is required' },
    { name: 'unknown member in a user', doc: edited((d) => (d.users[0].merged = true)), path: 'users[0].merged', fragment: 'is not a member of a user' },
    { name: 'merged user keeping its external id', doc: edited((d) => (d.users[1].mergedInto = 'olga')), path: 'users[1].externalId', fragment: 'expected null' },
    { name: 'merged user keeping emails', doc: edited((d) => { d.users[1].mergedInto = 'olga'; d.users[1].externalId = null; }), path: 'users[1].emails', fragment: 'must be empty' },
    { name: 'email identity verified as a string', doc: edited((d) => (d.users[1].emails[0].verified = 'true')), path: 'users[1].emails[0].verified', fragment: 'expected boolean' },
    { name: 'conversation missing typedEmail', doc: edited((d) => delete d.conversations[1].typedEmail), path: 'conversations[1].typedEmail', fragment: 'is required' },
    { name: 'invalid settings combination', doc: edited((d) => (d.settings = { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: true })), path: 'settings.unauthenticatedCanClaimVerified', fragment: 'cannot be true' },
    { name: 'missing conversations', doc: edited((d) => delete d.conversations), path: 'conversations', fragment: 'is required' },
    { name: 'unknown top-level member', doc: edited((d) => (d.events = [])), path: 'events', fragment: 'is not a member of the result' },
  ];
  for (const c of broken) {
    it(`refuses: ${c.name} → ${c.path}`, () => invalid(c.doc, c.path, c.fragment));
  }
});

describe('the shipped schemas', () => {
  for (const schema of [scenarioSchema, resultSchema, protocolSchema]) {
    it(`${schema.$id} is a titled, described draft 2020-12 schema`, () => {
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.match(schema.$id, /^https:\/\/idmatrix\.dev\/schema\/\w+\.schema\.json$/);
      assert.ok(schema.title.length > 0);
      assert.ok(schema.description.length > 0);
    });

    it(`${schema.$id}: every schema that declares members closes them (claims and header declare none)`, () => {
      // Subschemas under these keywords constrain members an enclosing schema already declares.
      const CONSTRAINT = new Set(['not', 'if', 'then', 'else', 'dependentSchemas']);
      const open: string[] = [];
      const walk = (node: unknown, where: readonly string[]): void => {
        if (typeof node !== 'object' || node === null) return;
        const record = node as Record<string, unknown>;
        const constraint = where.some((segment) => CONSTRAINT.has(segment));
        if (record.properties !== undefined && record.additionalProperties !== false && !constraint) open.push(where.join('/'));
        for (const [key, value] of Object.entries(record)) walk(value, [...where, key]);
      };
      walk(schema, []);
      assert.deepEqual(open, []);
    });
  }
});
