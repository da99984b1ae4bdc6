import { strict as assert } from 'node:assert';
import { MalformedScenarioError } from '../../src/errors';
import { parseScenarioText } from '../../src/replay/parse';
import type { Scenario } from '../../src/replay/types';
import { loadScenario, parseNow, validateScenario } from '../../src/replay/validate';

/**
 * Every way `replay.md` makes a scenario file malformed, each with the JSON path the error must name.
 * Cases are small edits of the example scenario of `replay.md` (or raw text where JSON syntax matters).
 */

/** A scenario under edit: loosely typed on purpose, to build every wrong shape. */
type Doc = Record<string, any>;

/** The example scenario of `replay.md`, in full (the ready token of c3 is any string). */
function example(): Doc {
  return {
    title: 'Signed-in customer takes over an address a visitor typed earlier',
    settings: { emailIdentities: 'verified-and-unverified', unauthenticatedCanClaimVerified: false },
    now: '2026-01-01T00:00:00Z',
    keys: [{ kid: 'app_test', secret: 'a secret of at least thirty-two bytes!!' }],
    users: [{ ref: 'olga', name: 'Olga', externalId: null, emails: [{ address: 'olga@example.com', verified: false }] }],
    events: [
      { ref: 'c1', type: 'visitor', name: 'Olga', email: 'olga@example.com' },
      {
        ref: 'c2',
        type: 'signed-in',
        claims: { scope: 'user', external_id: 'u-1', email: 'olga@example.com', email_verified: true, name: 'Olga K' },
      },
      { ref: 'c3', type: 'signed-in', token: 'eyJhbGciOiJIUzI1NiJ9.e30.not-a-real-signature' },
    ],
  };
}

/** The example with `edit` applied to a fresh copy. */
function edited(edit: (doc: Doc) => void): Doc {
  const doc = example();
  edit(doc);
  return doc;
}

/** The example with one more event appended. */
function withEvent(event: Doc): Doc {
  return edited((doc) => doc.events.push(event));
}

const LOGIN = { ref: 'c4', type: 'login', conversation: 'c1', claims: { scope: 'user', external_id: 'u-1' } };

/** The example as text, with `replace` applied to the JSON (for what a JS object cannot hold). */
function exampleText(replace: (text: string) => string): string {
  return replace(JSON.stringify(example(), null, 2));
}

interface Case {
  readonly name: string;
  /** A document, or the raw text of a file. */
  readonly input: Doc | string | unknown[] | number;
  readonly path: string;
  readonly message: string;
}

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

const ASTRAL = '\u{1F600}'; // two UTF-16 code units, one code point

const CASES: readonly Case[] = [
  // --- The file as JSON ------------------------------------------------------------------------------
  { name: 'not JSON at all', input: 'settings: verified-only', path: '$', message: 'not valid JSON' },
  { name: 'empty file', input: '', path: '$', message: 'not valid JSON: unexpected end of input at line 1 column 1' },
  { name: 'truncated file', input: '{"settings": ', path: '$', message: 'not valid JSON' },
  { name: 'trailing comma (with line and column)', input: '{\n  "events": [],\n}', path: '$', message: "not valid JSON: unexpected '}' at line 3 column 1" },
  { name: 'comment', input: '// a scenario\n{}', path: '$', message: "unexpected character '/' at line 1 column 1" },
  { name: 'single quotes', input: "{'events': []}", path: '$', message: 'not valid JSON' },
  { name: 'leading zero', input: exampleText((t) => t.replace('"events": [', '"x": 01, "events": [')), path: '$', message: 'not valid JSON' },
  { name: 'NaN', input: '{"events": NaN}', path: '$', message: 'not valid JSON' },
  { name: 'two documents', input: '{} {}', path: '$', message: 'not valid JSON' },
  { name: 'raw tab inside a string', input: '{"title": "a\tb"}', path: '$', message: 'control character U+0009 must be escaped inside a string at line 1 column 13' },
  { name: 'raw newline inside a string', input: '{\n"title": "a\nb"}', path: '$', message: 'control character U+000A must be escaped inside a string at line 2 column 12' },
  { name: 'bad escape', input: '{"title": "\\x41"}', path: '$', message: 'not valid JSON' },
  { name: 'non-breaking space as whitespace', input: '{\u00a0"events": []}', path: '$', message: 'unexpected character U+00A0' },
  { name: 'a BOM not at the start', input: ' \ufeff{}', path: '$', message: 'not valid JSON' },
  // --- A member name given twice ---------------------------------------------------------------------
  { name: 'duplicated top-level member', input: exampleText((t) => t.replace('"events": [', '"events": [],\n"events": [')), path: 'events', message: 'member "events" is given twice' },
  { name: 'duplicated member inside settings', input: exampleText((t) => t.replace('"unauthenticatedCanClaimVerified": false', '"unauthenticatedCanClaimVerified": false, "unauthenticatedCanClaimVerified": true')), path: 'settings.unauthenticatedCanClaimVerified', message: 'member "unauthenticatedCanClaimVerified" is given twice' },
  { name: 'duplicated member inside a user', input: exampleText((t) => t.replace('"name": "Olga",', '"name": "Olga", "name": "Olga K",')), path: 'users[0].name', message: 'member "name" is given twice' },
  { name: 'duplicated member inside an email entry', input: exampleText((t) => t.replace('"verified": false', '"verified": false, "verified": true')), path: 'users[0].emails[0].verified', message: 'member "verified" is given twice' },
  { name: 'duplicated claim', input: exampleText((t) => t.replace('"email_verified": true', '"email_verified": true, "email_verified": false')), path: 'events[1].claims.email_verified', message: 'member "email_verified" is given twice' },
  { name: 'duplicated claim, names compared after unescaping', input: exampleText((t) => t.replace('"email_verified": true', '"email_verified": true, "email_\\u0076erified": false')), path: 'events[1].claims.email_verified', message: 'member "email_verified" is given twice' },
  { name: 'duplicated claim with a name that is not an identifier', input: exampleText((t) => t.replace('"scope": "user"', '"my key": 1, "scope": "user", "my key": 2')), path: 'events[1].claims["my key"]', message: 'member "my key" is given twice' },
  { name: 'duplicated member nested inside a claim', input: exampleText((t) => t.replace('"scope": "user"', '"scope": "user", "roles": [{"a": 1}, {"b": 1, "b": 2}]')), path: 'events[1].claims.roles[1].b', message: 'member "b" is given twice' },
  { name: 'duplicated member inside header', input: exampleText((t) => t.replace('"type": "signed-in",\n      "claims"', '"type": "signed-in",\n      "header": {"kid": "a", "typ": "JWT", "kid": "b"},\n      "claims"')), path: 'events[1].header.kid', message: 'member "kid" is given twice' },
  { name: 'the first duplicate in document order', input: '{"a": {"x": 1, "x": 2}, "a": 3}', path: 'a.x', message: 'member "x" is given twice' },
  // --- Top level ----------------------------------------------------------------------------------------
  { name: 'root is an array', input: [], path: '$', message: 'expected object' },
  { name: 'root is a number', input: 42, path: '$', message: 'expected object' },
  { name: 'unknown top-level member', input: edited((d) => (d.user = [])), path: 'user', message: 'is not a member of the scenario (see replay.md)' },
  { name: 'unknown top-level member with an odd name', input: edited((d) => (d['my key'] = 1)), path: '$["my key"]', message: 'is not a member of the scenario' },
  { name: 'misspelt settings: the unknown member is reported, not the missing one', input: edited((d) => { d.setting = d.settings; delete d.settings; }), path: 'setting', message: 'is not a member of the scenario' },
  { name: 'title not a string', input: edited((d) => (d.title = 7)), path: 'title', message: 'expected string' },
  { name: 'description not a string', input: edited((d) => (d.description = ['x'])), path: 'description', message: 'expected string' },
  // --- settings -------------------------------------------------------------------------------------------
  { name: 'settings missing', input: edited((d) => delete d.settings), path: 'settings', message: 'is required' },
  { name: 'settings not an object', input: edited((d) => (d.settings = 'verified-only')), path: 'settings', message: 'expected object' },
  { name: 'settings null', input: edited((d) => (d.settings = null)), path: 'settings', message: 'expected object' },
  { name: 'settings.emailIdentities missing', input: edited((d) => delete d.settings.emailIdentities), path: 'settings.emailIdentities', message: 'is required' },
  { name: 'settings.unauthenticatedCanClaimVerified missing', input: edited((d) => delete d.settings.unauthenticatedCanClaimVerified), path: 'settings.unauthenticatedCanClaimVerified', message: 'is required' },
  { name: 'settings.emailIdentities unknown', input: edited((d) => (d.settings.emailIdentities = 'both')), path: 'settings.emailIdentities', message: 'expected one of "verified-only", "verified-and-unverified"' },
  { name: 'settings.emailIdentities a setting id', input: edited((d) => (d.settings.emailIdentities = 'claim-verified')), path: 'settings.emailIdentities', message: 'expected one of' },
  { name: 'settings.unauthenticatedCanClaimVerified a string', input: edited((d) => (d.settings.unauthenticatedCanClaimVerified = 'false')), path: 'settings.unauthenticatedCanClaimVerified', message: 'expected boolean' },
  { name: 'settings.unauthenticatedCanClaimVerified a number', input: edited((d) => (d.settings.unauthenticatedCanClaimVerified = 0)), path: 'settings.unauthenticatedCanClaimVerified', message: 'expected boolean' },
  { name: 'unknown member in settings', input: edited((d) => (d.settings.mode = 'x')), path: 'settings.mode', message: 'is not a member of settings (see replay.md)' },
  { name: 'invalid initial combination', input: edited((d) => (d.settings = { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: true })), path: 'settings.unauthenticatedCanClaimVerified', message: 'cannot be true with "emailIdentities": "verified-only"' },
  // --- now --------------------------------------------------------------------------------------------------
  { name: 'now without a zone', input: edited((d) => (d.now = '2026-01-01T00:00:00')), path: 'now', message: 'is not an RFC 3339 date-time with a zone' },
  { name: 'now garbage', input: edited((d) => (d.now = 'tomorrow')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now a date only', input: edited((d) => (d.now = '2026-01-01')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now February 30', input: edited((d) => (d.now = '2026-02-30T00:00:00Z')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now February 29 of a common year', input: edited((d) => (d.now = '2026-02-29T00:00:00Z')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now hour 24', input: edited((d) => (d.now = '2026-01-01T24:00:00Z')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now offset without colon', input: edited((d) => (d.now = '2026-01-01T00:00:00+0200')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now offset hours only', input: edited((d) => (d.now = '2026-01-01T00:00:00+02')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now with a space for T', input: edited((d) => (d.now = '2026-01-01 00:00:00Z')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now without seconds', input: edited((d) => (d.now = '2026-01-01T00:00Z')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now a leap second not at 23:59 UTC', input: edited((d) => (d.now = '2026-01-01T12:00:60Z')), path: 'now', message: 'is not an RFC 3339 date-time' },
  { name: 'now a number', input: edited((d) => (d.now = 1767225600)), path: 'now', message: 'expected string' },
  { name: 'now null', input: edited((d) => (d.now = null)), path: 'now', message: 'expected string' },
  // --- keys -------------------------------------------------------------------------------------------------
  { name: 'keys empty', input: edited((d) => (d.keys = [])), path: 'keys', message: 'must not be empty' },
  { name: 'keys not an array', input: edited((d) => (d.keys = { kid: 'app_test', secret: 'a secret of at least thirty-two bytes!!' })), path: 'keys', message: 'expected array' },
  { name: 'key not an object', input: edited((d) => (d.keys = ['app_test'])), path: 'keys[0]', message: 'expected object' },
  { name: 'key kid empty', input: edited((d) => (d.keys[0].kid = '')), path: 'keys[0].kid', message: 'must not be empty' },
  { name: 'key kid missing', input: edited((d) => delete d.keys[0].kid), path: 'keys[0].kid', message: 'is required' },
  { name: 'key kid not a string', input: edited((d) => (d.keys[0].kid = 1)), path: 'keys[0].kid', message: 'expected string' },
  { name: 'key secret missing', input: edited((d) => delete d.keys[0].secret), path: 'keys[0].secret', message: 'is required' },
  { name: 'key secret not a string', input: edited((d) => (d.keys[0].secret = 12345678901234567890123456789012)), path: 'keys[0].secret', message: 'expected string' },
  { name: 'key secret under 32 bytes', input: edited((d) => (d.keys[0].secret = 'short secret')), path: 'keys[0].secret', message: 'has 12 bytes; HS256 needs at least 32' },
  { name: 'key secret of 31 bytes', input: edited((d) => (d.keys[0].secret = 'x'.repeat(31))), path: 'keys[0].secret', message: 'has 31 bytes' },
  { name: 'key secret under 32 bytes in UTF-8 though 16 characters', input: edited((d) => (d.keys[0].secret = '\u00e9'.repeat(15) + 'a')), path: 'keys[0].secret', message: 'has 31 bytes' },
  { name: 'duplicate kid', input: edited((d) => d.keys.push({ kid: 'app_test', secret: 'another secret of thirty-two bytes!!' })), path: 'keys[1].kid', message: 'key id "app_test" is configured twice' },
  { name: 'unknown member in a key', input: edited((d) => (d.keys[0].alg = 'HS256')), path: 'keys[0].alg', message: 'is not a member of a key (see replay.md)' },
  // --- users ------------------------------------------------------------------------------------------------
  { name: 'users not an array', input: edited((d) => (d.users = d.users[0])), path: 'users', message: 'expected array' },
  { name: 'user not an object', input: edited((d) => (d.users = ['olga'])), path: 'users[0]', message: 'expected object' },
  { name: 'user ref missing', input: edited((d) => delete d.users[0].ref), path: 'users[0].ref', message: 'is required' },
  { name: 'user ref empty', input: edited((d) => (d.users[0].ref = '')), path: 'users[0].ref', message: 'must not be empty' },
  { name: 'user ref not a string', input: edited((d) => (d.users[0].ref = 1)), path: 'users[0].ref', message: 'expected string' },
  { name: 'user ref beginning with new:', input: edited((d) => (d.users[0].ref = 'new:c1')), path: 'users[0].ref', message: 'must not begin with "new:"' },
  { name: 'user ref duplicated', input: edited((d) => d.users.push({ ref: 'olga' })), path: 'users[1].ref', message: '"olga" is already the ref of users[0]' },
  { name: 'user name a number', input: edited((d) => (d.users[0].name = 42)), path: 'users[0].name', message: 'expected string or null' },
  { name: 'user externalId empty', input: edited((d) => (d.users[0].externalId = '')), path: 'users[0].externalId', message: 'must not be empty' },
  { name: 'user externalId of 256 code units', input: edited((d) => (d.users[0].externalId = 'x'.repeat(256))), path: 'users[0].externalId', message: 'must be at most 255 UTF-16 code units' },
  { name: 'user externalId of 256 code units but 128 code points', input: edited((d) => (d.users[0].externalId = ASTRAL.repeat(128))), path: 'users[0].externalId', message: 'must be at most 255 UTF-16 code units (has 256)' },
  { name: 'user externalId a number', input: edited((d) => (d.users[0].externalId = 1)), path: 'users[0].externalId', message: 'expected string or null' },
  { name: 'same externalId on two users', input: edited((d) => { d.users[0].externalId = 'u-1'; d.users.push({ ref: 'ann', externalId: 'u-1' }); }), path: 'users[1].externalId', message: '"u-1" is already the external id of users[0]' },
  { name: 'unknown member in a user', input: edited((d) => (d.users[0].verified = true)), path: 'users[0].verified', message: 'is not a member of a user (see replay.md)' },
  { name: 'user emails not an array', input: edited((d) => (d.users[0].emails = 'olga@example.com')), path: 'users[0].emails', message: 'expected array' },
  { name: 'email entry a bare string', input: edited((d) => (d.users[0].emails = ['olga@example.com'])), path: 'users[0].emails[0]', message: 'expected object' },
  { name: 'email entry without verified', input: edited((d) => delete d.users[0].emails[0].verified), path: 'users[0].emails[0].verified', message: 'is required' },
  { name: 'email entry without address', input: edited((d) => delete d.users[0].emails[0].address), path: 'users[0].emails[0].address', message: 'is required' },
  { name: 'email entry verified a string', input: edited((d) => (d.users[0].emails[0].verified = 'true')), path: 'users[0].emails[0].verified', message: 'expected boolean' },
  { name: 'email entry address not a string', input: edited((d) => (d.users[0].emails[0].address = null)), path: 'users[0].emails[0].address', message: 'expected string' },
  { name: 'misspelt emailVerified in an email entry', input: edited((d) => { d.users[0].emails[0].emailVerified = false; delete d.users[0].emails[0].verified; }), path: 'users[0].emails[0].emailVerified', message: 'is not a member of an email entry (see replay.md)' },
  { name: 'unusable address (no @)', input: edited((d) => (d.users[0].emails[0].address = 'olga.example.com')), path: 'users[0].emails[0].address', message: '"olga.example.com" is not a usable address: it must contain exactly one "@"' },
  { name: 'unusable address (zero-width space)', input: edited((d) => (d.users[0].emails[0].address = 'olga\u200b@example.com')), path: 'users[0].emails[0].address', message: 'is not a usable address' },
  { name: 'unusable address (empty)', input: edited((d) => (d.users[0].emails[0].address = '')), path: 'users[0].emails[0].address', message: 'is not a usable address' },
  { name: 'same address twice in one user', input: edited((d) => d.users[0].emails.push({ address: 'olga@example.com', verified: true })), path: 'users[0].emails[1].address', message: 'is listed twice for this user (users[0].emails[0].address)' },
  { name: 'same normalised address twice in one user', input: edited((d) => d.users[0].emails.push({ address: ' Olga@Example.COM ', verified: true })), path: 'users[0].emails[1].address', message: 'is listed twice for this user' },
  { name: 'same normalised address on two users (case variant)', input: edited((d) => d.users.push({ ref: 'ann', emails: [{ address: 'OLGA@example.com', verified: true }] })), path: 'users[1].emails[0].address', message: '"OLGA@example.com" is already held by users[0] (users[0].emails[0].address' },
  // --- events -----------------------------------------------------------------------------------------------
  { name: 'events missing', input: edited((d) => delete d.events), path: 'events', message: 'is required' },
  { name: 'events not an array', input: edited((d) => (d.events = d.events[0])), path: 'events', message: 'expected array' },
  { name: 'events null', input: edited((d) => (d.events = null)), path: 'events', message: 'expected array' },
  { name: 'event not an object', input: edited((d) => (d.events[0] = 'c1')), path: 'events[0]', message: 'expected object' },
  { name: 'event ref missing', input: edited((d) => delete d.events[0].ref), path: 'events[0].ref', message: 'is required' },
  { name: 'event ref empty', input: edited((d) => (d.events[0].ref = '')), path: 'events[0].ref', message: 'must not be empty' },
  { name: 'event ref not a string', input: edited((d) => (d.events[0].ref = 1)), path: 'events[0].ref', message: 'expected string' },
  { name: 'event ref beginning with new:', input: edited((d) => (d.events[0].ref = 'new:c1')), path: 'events[0].ref', message: 'must not begin with "new:"' },
  { name: 'event ref duplicated', input: edited((d) => (d.events[2].ref = 'c1')), path: 'events[2].ref', message: '"c1" is already the ref of events[0]' },
  { name: 'event ref equal to a user ref', input: edited((d) => (d.events[1].ref = 'olga')), path: 'events[1].ref', message: '"olga" is already the ref of users[0]' },
  { name: 'event ref equal to a user ref listed after events', input: edited((d) => { const users = d.users; delete d.users; d.users = users; d.events[0].ref = 'olga'; }), path: 'events[0].ref', message: 'is already the ref of users[0]' },
  { name: 'event type missing', input: edited((d) => delete d.events[0].type), path: 'events[0].type', message: 'is required' },
  { name: 'event type unknown', input: withEvent({ ref: 'c4', type: 'foo' }), path: 'events[3].type', message: 'unknown event type "foo"' },
  { name: 'event type in another case', input: edited((d) => (d.events[0].type = 'Visitor')), path: 'events[0].type', message: 'unknown event type "Visitor"' },
  { name: 'event type not a string', input: edited((d) => (d.events[0].type = 1)), path: 'events[0].type', message: 'expected string' },
  // visitor
  { name: 'visitor: unknown member', input: edited((d) => (d.events[0].emailVerified = true)), path: 'events[0].emailVerified', message: 'is not a member of a visitor event (see replay.md)' },
  { name: 'visitor: claims are not a member', input: edited((d) => (d.events[0].claims = {})), path: 'events[0].claims', message: 'is not a member of a visitor event' },
  { name: 'visitor: email a number', input: edited((d) => (d.events[0].email = 42)), path: 'events[0].email', message: 'expected string or null' },
  { name: 'visitor: email an object', input: edited((d) => (d.events[0].email = { address: 'olga@example.com' })), path: 'events[0].email', message: 'expected string or null' },
  { name: 'visitor: name a boolean', input: edited((d) => (d.events[0].name = false)), path: 'events[0].name', message: 'expected string or null' },
  // signed-in
  { name: 'signed-in: unknown member', input: edited((d) => (d.events[1].email = 'olga@example.com')), path: 'events[1].email', message: 'is not a member of a signed-in event (see replay.md)' },
  { name: 'signed-in: both claims and token', input: edited((d) => (d.events[1].token = 'x.y.z')), path: 'events[1]', message: 'give exactly one of "claims" and "token"' },
  { name: 'signed-in: neither claims nor token', input: edited((d) => delete d.events[1].claims), path: 'events[1]', message: 'give exactly one of "claims" and "token"' },
  { name: 'signed-in: claims an array', input: edited((d) => (d.events[1].claims = [])), path: 'events[1].claims', message: 'expected object' },
  { name: 'signed-in: claims a string', input: edited((d) => (d.events[1].claims = '{"scope":"user"}')), path: 'events[1].claims', message: 'expected object' },
  { name: 'signed-in: claims null', input: edited((d) => (d.events[1].claims = null)), path: 'events[1].claims', message: 'expected object' },
  { name: 'signed-in: token not a string', input: edited((d) => (d.events[2].token = { alg: 'none' })), path: 'events[2].token', message: 'expected string' },
  { name: 'signed-in: token null', input: edited((d) => (d.events[2].token = null)), path: 'events[2].token', message: 'expected string' },
  { name: 'signed-in: kid not a string', input: edited((d) => (d.events[1].kid = 7)), path: 'events[1].kid', message: 'expected string' },
  { name: 'signed-in: header not an object', input: edited((d) => (d.events[1].header = 'HS256')), path: 'events[1].header', message: 'expected object' },
  { name: 'signed-in: header an array', input: edited((d) => (d.events[1].header = [])), path: 'events[1].header', message: 'expected object' },
  { name: 'signed-in: header with token', input: edited((d) => (d.events[2].header = { alg: 'none' })), path: 'events[2].header', message: 'cannot be given with "token"' },
  { name: 'signed-in: kid with token', input: edited((d) => (d.events[2].kid = 'app_test')), path: 'events[2].kid', message: 'cannot be given with "token"' },
  { name: 'signed-in: conversation is not a member', input: edited((d) => (d.events[1].conversation = 'c1')), path: 'events[1].conversation', message: 'is not a member of a signed-in event' },
  // login
  { name: 'login: unknown member', input: withEvent({ ...LOGIN, visitor: 'c1' }), path: 'events[3].visitor', message: 'is not a member of a login event (see replay.md)' },
  { name: 'login: without conversation', input: withEvent({ ref: 'c4', type: 'login', claims: {} }), path: 'events[3].conversation', message: 'is required' },
  { name: 'login: conversation not a string', input: withEvent({ ...LOGIN, conversation: 1 }), path: 'events[3].conversation', message: 'expected string' },
  { name: 'login: conversation naming no event', input: withEvent({ ...LOGIN, conversation: 'c9' }), path: 'events[3].conversation', message: '"c9" is not the ref of any event' },
  { name: 'login: conversation naming a user', input: withEvent({ ...LOGIN, conversation: 'olga' }), path: 'events[3].conversation', message: '"olga" is not the ref of any event' },
  { name: 'login: conversation naming a created user', input: withEvent({ ...LOGIN, conversation: 'new:c1' }), path: 'events[3].conversation', message: 'is not the ref of any event' },
  { name: 'login: conversation naming a later visitor', input: edited((d) => d.events.splice(1, 0, { ...LOGIN, conversation: 'c5' }, { ref: 'c5', type: 'visitor' })), path: 'events[1].conversation', message: '"c5" is a later event (events[2])' },
  { name: 'login: conversation naming itself', input: withEvent({ ...LOGIN, conversation: 'c4' }), path: 'events[3].conversation', message: "is this event's own ref" },
  { name: 'login: conversation naming a signed-in event', input: withEvent({ ...LOGIN, conversation: 'c2' }), path: 'events[3].conversation', message: '"c2" is a signed-in event (events[1])' },
  { name: 'login: conversation naming a login event', input: edited((d) => d.events.push(LOGIN, { ...LOGIN, ref: 'c5', conversation: 'c4' })), path: 'events[4].conversation', message: '"c4" is a login event (events[3])' },
  { name: 'login: both claims and token', input: withEvent({ ...LOGIN, token: 'x.y.z' }), path: 'events[3]', message: 'give exactly one of "claims" and "token"' },
  { name: 'login: neither claims nor token', input: withEvent({ ref: 'c4', type: 'login', conversation: 'c1' }), path: 'events[3]', message: 'give exactly one of "claims" and "token"' },
  { name: 'login: claims an array', input: withEvent({ ...LOGIN, claims: [['scope', 'user']] }), path: 'events[3].claims', message: 'expected object' },
  { name: 'login: token not a string', input: withEvent({ ref: 'c4', type: 'login', conversation: 'c1', token: 1 }), path: 'events[3].token', message: 'expected string' },
  { name: 'login: header with token', input: withEvent({ ref: 'c4', type: 'login', conversation: 'c1', token: 'x.y.z', header: {} }), path: 'events[3].header', message: 'cannot be given with "token"' },
  { name: 'login: kid with token', input: withEvent({ ref: 'c4', type: 'login', conversation: 'c1', token: 'x.y.z', kid: 'app_test' }), path: 'events[3].kid', message: 'cannot be given with "token"' },
  { name: 'login: header not an object', input: withEvent({ ...LOGIN, header: null }), path: 'events[3].header', message: 'expected object' },
  // merge
  { name: 'merge: unknown member', input: withEvent({ ref: 'm1', type: 'merge', from: 'olga', to: 'new:c2' }), path: 'events[3].to', message: 'is not a member of a merge event (see replay.md)' },
  { name: 'merge: without from', input: withEvent({ ref: 'm1', type: 'merge', into: 'olga' }), path: 'events[3].from', message: 'is required' },
  { name: 'merge: without into', input: withEvent({ ref: 'm1', type: 'merge', from: 'olga' }), path: 'events[3].into', message: 'is required' },
  { name: 'merge: from not a string', input: withEvent({ ref: 'm1', type: 'merge', from: 0, into: 'olga' }), path: 'events[3].from', message: 'expected string' },
  { name: 'merge: into null', input: withEvent({ ref: 'm1', type: 'merge', from: 'olga', into: null }), path: 'events[3].into', message: 'expected string' },
  // settings event
  { name: 'settings event: unknown member', input: withEvent({ ref: 's1', type: 'settings', emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false, mode: 1 }), path: 'events[3].mode', message: 'is not a member of a settings event (see replay.md)' },
  { name: 'settings event: missing unauthenticatedCanClaimVerified', input: withEvent({ ref: 's1', type: 'settings', emailIdentities: 'verified-only' }), path: 'events[3].unauthenticatedCanClaimVerified', message: 'is required' },
  { name: 'settings event: missing emailIdentities', input: withEvent({ ref: 's1', type: 'settings', unauthenticatedCanClaimVerified: false }), path: 'events[3].emailIdentities', message: 'is required' },
  { name: 'settings event: emailIdentities unknown', input: withEvent({ ref: 's1', type: 'settings', emailIdentities: 'all', unauthenticatedCanClaimVerified: false }), path: 'events[3].emailIdentities', message: 'expected one of "verified-only", "verified-and-unverified"' },
  { name: 'settings event: unauthenticatedCanClaimVerified a string', input: withEvent({ ref: 's1', type: 'settings', emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: 'no' }), path: 'events[3].unauthenticatedCanClaimVerified', message: 'expected boolean' },
  { name: 'settings event: settings nested as in the top level', input: withEvent({ ref: 's1', type: 'settings', settings: { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false } }), path: 'events[3].settings', message: 'is not a member of a settings event' },
  // --- One failure, the first in document order ----------------------------------------------------------
  { name: 'two failures: the earlier one is reported', input: edited((d) => { d.events[2].type = 'foo'; d.users[0].name = 1; }), path: 'users[0].name', message: 'expected string or null' },
  { name: 'two failures in one event: the earlier member is reported', input: edited((d) => { d.events[1] = { ref: 'c2', type: 'signed-in', kid: 1, claims: [] }; }), path: 'events[1].kid', message: 'expected string' },
];

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
    validateScenario(edited((d) => (d.now = '2016-12-31T23:59:60Z')));
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
