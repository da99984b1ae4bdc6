import { strict as assert } from 'node:assert';
import { MalformedScenarioError } from '../../src/errors';
import { parseScenarioText } from '../../src/replay/parse';
import type { Scenario } from '../../src/replay/types';
import { loadScenario, parseNow, validateScenario } from '../../src/replay/validate';
import { ASTRAL, edited, example, exampleText, LOGIN, MALFORMED_CASES as CASES, withEvent, type Case } from '../fixtures/replay-example';

function malformed(input: Case['input']): MalformedScenarioError {
  try {
    if (typeof input === 'string') loadScenario(input);
    else validateScenario(input);
  } catch (error) {
    if (error instanceof MalformedScenarioError) return error;
    throw error;
  }
  assert.fail('expected MalformedScenarioError, but the scenario was accepted');
}

function check(c: Case): void {
  const error = malformed(c.input);
  assert.equal(error.path, c.path, `path of: ${error.message}`);
  assert.ok(error.detail.includes(c.message), `expected ${JSON.stringify(c.message)} in: ${error.message}`);
  assert.equal(error.code, 'malformed-scenario');
  assert.equal(error.message, `${error.path}: ${error.detail}`);
  assert.ok(!error.message.includes('\n'), 'one line');
}

describe('malformed scenario files (replay.md)', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.path}`, () => check(c));
  }

  it('the replay.md example message for a non-string conversation, exactly', () => {
    const doc = edited((d) => d.events.splice(2, 1, { ...LOGIN, ref: 'c3', conversation: ['c1'] }));
    assert.equal(malformed(doc).message, 'events[2].conversation: expected string');
  });

  it('a shape error is reported before a meaning error later in the file, and both are deterministic', () => {
    const doc = edited((d) => { d.users.push({ ref: 'olga' }); d.events[2].type = 'foo'; });
    const first = malformed(doc);
    assert.equal(first.path, 'events[2].type');
    assert.equal(malformed(doc).message, first.message);
  });
});

describe('valid scenario files (replay.md)', () => {
  it('accepts the example scenario of replay.md and returns it as it is', () => {
    const doc = example();
    const scenario: Scenario = validateScenario(doc);
    assert.deepEqual(scenario, example());
  });

  it('loads the example from text, also with a leading byte order mark', () => {
    const text = JSON.stringify(example(), null, 2);
    assert.deepEqual(loadScenario(text), example());
    assert.deepEqual(loadScenario(`\ufeff${text}`), example());
  });

  it('accepts the minimal scenario (settings and events only)', () => {
    validateScenario({ settings: { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false }, events: [] });
  });

  it('accepts a settings event with claim on + verified-only (a rejection at run time, not malformed)', () => {
    validateScenario(withEvent({ ref: 's1', type: 'settings', emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: true }));
  });

  it('accepts lowercase t and z and ±hh:mm offsets in now', () => {
    for (const now of ['2026-01-01t00:00:00z', '2026-01-01T02:00:00+02:00', '2025-12-31T19:30:00-04:30', '2026-01-01T00:00:00.123456Z', '2026-01-01T00:00:00-00:00']) {
      validateScenario(edited((d) => (d.now = now)));
    }
  });

  it('parseNow gives whole epoch seconds, truncating fractions', () => {
    assert.equal(parseNow('2026-01-01T00:00:00Z'), 1767225600);
    assert.equal(parseNow('2026-01-01t00:00:00z'), 1767225600);
    assert.equal(parseNow('2026-01-01T02:00:00+02:00'), 1767225600);
    assert.equal(parseNow('2025-12-31T19:30:00-04:30'), 1767225600);
    assert.equal(parseNow('2026-01-01T00:00:00.999Z'), 1767225600);
    assert.equal(parseNow('2026-01-01T02:00:00.5+02:00'), 1767225600);
    assert.equal(parseNow('1970-01-01T00:00:00Z'), 0);
    assert.equal(parseNow('1969-12-31T23:59:59.5Z'), -1);
    assert.equal(parseNow('2024-02-29T12:00:00Z'), Date.UTC(2024, 1, 29, 12) / 1000);
    assert.equal(parseNow('0001-01-01T00:00:00Z'), -62135596800);
    assert.equal(parseNow('9999-12-31T23:59:59Z'), 253402300799);
  });

  it('parseNow counts a leap second as the first second of the next minute (POSIX)', () => {
    assert.equal(parseNow('2016-12-31T23:59:60Z'), 1483228800);
    assert.equal(parseNow('2017-01-01T00:59:60+01:00'), 1483228800);
    assert.equal(parseNow('2016-12-31T18:29:60-05:30'), 1483228800);
    assert.equal(parseNow('2015-06-30T23:59:60z'), Date.UTC(2015, 6, 1) / 1000);
    assert.equal(parseNow('2016-12-31T23:59:60.999Z'), 1483228800, 'a fraction of the leap second is truncated to it');
    validateScenario(edited((d) => (d.now = '2016-12-31T23:59:60Z')));
  });

  it('parseNow refuses a second 60 anywhere but 23:59:60 UTC, whatever the written offset', () => {
    for (const now of ['2016-12-31T23:59:60+01:00', '2016-12-31T23:59:60-01:00', '2017-01-01T00:00:60Z', '2016-12-31T23:58:60Z', '2016-12-31T22:59:60Z', '2016-12-31T23:59:61Z']) {
      assert.throws(() => parseNow(now), (e: unknown) => e instanceof MalformedScenarioError && e.path === 'now', now);
    }
  });

  it('parseNow refuses impossible dates: the 31st of a 30-day month, February 29 outside leap years, day 0', () => {
    for (const now of ['2026-04-31T00:00:00Z', '2026-06-31T00:00:00Z', '2026-09-31T00:00:00Z', '2026-11-31T00:00:00Z', '2100-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-01-00T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-32T00:00:00Z']) {
      assert.throws(() => parseNow(now), (e: unknown) => e instanceof MalformedScenarioError && e.path === 'now', now);
    }
    assert.equal(parseNow('2000-02-29T00:00:00Z'), Date.UTC(2000, 1, 29) / 1000, '2000 is a leap year (divisible by 400)');
    assert.equal(parseNow('2026-12-31T00:00:00Z'), Date.UTC(2026, 11, 31) / 1000);
  });

  it('parseNow refuses what is not an RFC 3339 date-time with a zone', () => {
    for (const now of ['2026-01-01T00:00:00', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:00+24:00', '2026-01-01 00:00:00Z', ' 2026-01-01T00:00:00Z', '', 'now']) {
      assert.throws(() => parseNow(now), (e: unknown) => e instanceof MalformedScenarioError && e.path === 'now', now);
    }
  });

  it('accepts an externalId of 255 UTF-16 code units (BMP and astral)', () => {
    validateScenario(edited((d) => (d.users[0].externalId = 'x'.repeat(255))));
    validateScenario(edited((d) => (d.users[0].externalId = `${ASTRAL.repeat(127)}x`)));
  });

  it('compares external ids exactly: case and spaces make different ids', () => {
    validateScenario(edited((d) => { d.users[0].externalId = 'ann-1'; d.users.push({ ref: 'b', externalId: 'ANN-1' }, { ref: 'c', externalId: ' ann-1' }); }));
  });

  it('keeps addresses apart that only Unicode folding would merge', () => {
    validateScenario(edited((d) => d.users.push({ ref: 'k', emails: [{ address: '\u212Aelly@example.com', verified: true }, { address: 'kelly@example.com', verified: false }] })));
  });

  it('accepts a user with only a ref, and null name and externalId', () => {
    validateScenario(edited((d) => d.users.push({ ref: 'a' }, { ref: 'b', name: null, externalId: null, emails: [] })));
  });

  it('accepts a secret of 32 UTF-8 bytes in 16 characters, and no keys at all', () => {
    validateScenario(edited((d) => (d.keys[0].secret = '\u00e9'.repeat(16))));
    validateScenario(edited((d) => delete d.keys));
  });

  it('accepts claims of any content, and a header and kid with claims', () => {
    validateScenario(edited((d) => {
      d.events[1].claims = { email_verified: 'true', exp: 'never', external_id: 7, nested: { a: [1, { b: null }] }, 'my key': 1 };
      d.events[1].header = { alg: 'none', crit: ['x'] };
      d.events[1].kid = 'unknown';
    }));
    validateScenario(edited((d) => (d.events[1].claims = {})));
  });

  it('accepts logins into an earlier visitor conversation, more than once', () => {
    validateScenario(edited((d) => d.events.push(LOGIN, { ref: 'c5', type: 'login', conversation: 'c1', token: 'x.y.z' })));
  });

  it('accepts a merge naming users that do not exist (refused at run time, not malformed)', () => {
    validateScenario(withEvent({ ref: 'm1', type: 'merge', from: 'nobody', into: 'new:c2' }));
  });

  it('accepts a visitor email that is not a usable address, and null name and email', () => {
    validateScenario(edited((d) => d.events.push({ ref: 'c4', type: 'visitor', email: 'not an address' }, { ref: 'c5', type: 'visitor', name: null, email: null })));
  });

  it('reads numbers and odd member names exactly as JSON.parse does', () => {
    const text = '{"a": 1.0000000000000000001, "b": 1e400, "c": -0, "d": 12345678901234567890, "__proto__": {"x": 1}, "e": "\\ud800"}';
    assert.deepEqual(parseScenarioText(text), JSON.parse(text));
    const value = parseScenarioText(text) as Record<string, unknown>;
    assert.ok(Object.hasOwn(value, '__proto__'));
    assert.ok(Object.is(value.c, -0));
  });

  it('a __proto__ claim stays an own member of claims', () => {
    const scenario = loadScenario(exampleText((t) => t.replace('"scope": "user"', '"__proto__": {"admin": true}, "scope": "user"')));
    const signedIn = scenario.events[1] as { claims?: Record<string, unknown> };
    assert.ok(signedIn.claims && Object.hasOwn(signedIn.claims, '__proto__'));
    assert.ok(JSON.stringify(signedIn.claims).startsWith('{"__proto__":{"admin":true},'));
  });
});
