import { strict as assert } from 'node:assert';
import { InvalidArgumentError, InvalidKeyError, InvalidTokenError, type TokenFailure } from '../../src/errors';
import { signTestToken, type SignOptions } from '../../src/identity/sign';
import { MAX_TOKEN_LENGTH, TokenVerifier } from '../../src/identity/token';
import type { JsonObject, KeyConfig } from '../../src/replay/types';
import { b64, hmac, HEADER_JSON, KEY, NOW, rawToken } from '../fixtures/tokens';

const OTHER_KEY: KeyConfig = { kid: 'app_other', secret: 'another secret that is thirty-two bytes or more' };

const BASE = { scope: 'user', external_id: 'u-1' } as const;
const PAYLOAD_JSON = '{"scope":"user","external_id":"u-1"}';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let verifier: TokenVerifier;

function sign(claims: JsonObject, options?: SignOptions): string {
  return signTestToken(claims, KEY, options);
}

/** Sets an unused trailing bit of a segment: it still decodes to the same bytes, but is not canonical. */
function withUnusedBitSet(segment: string): string {
  assert.notEqual(segment.length % 4, 0, 'the segment must have unused trailing bits');
  const last = ALPHABET.indexOf(segment.slice(-1));
  const altered = segment.slice(0, -1) + ALPHABET[last | 1];
  assert.notEqual(altered, segment);
  assert.deepEqual(Buffer.from(altered, 'base64url'), Buffer.from(segment, 'base64url'));
  return altered;
}

/** Pads JSON text with trailing whitespace until its base64url form has unused trailing bits. */
function withUnusedBits(json: string): string {
  let text = json;
  while (Buffer.byteLength(text) % 3 === 0) text += ' ';
  return text;
}

async function rejectsWith(token: unknown, reason: TokenFailure, now = NOW, using = verifier): Promise<void> {
  await assert.rejects(using.verify(token, now), (error: unknown) => {
    assert.ok(error instanceof InvalidTokenError, `expected InvalidTokenError, got ${String(error)}`);
    assert.equal(error.reason, reason, `reason (message: ${error.message})`);
    assert.equal(error.code, 'invalid-token');
    assert.ok(error.message.length > 0);
    assert.ok(!error.message.includes(KEY.secret) && !error.message.includes(OTHER_KEY.secret));
    return true;
  });
}

async function rejectsClaims(claims: JsonObject, reason: TokenFailure, now = NOW): Promise<void> {
  await rejectsWith(sign(claims), reason, now);
}

async function accepts(token: string, now = NOW, using = verifier) {
  return using.verify(token, now);
}

describe('TokenVerifier (inputs.md, JWT)', () => {
  before(async () => {
    verifier = await TokenVerifier.create([KEY]);
  });

  describe('valid tokens', () => {
    it('a minimal token gives the external id, no name, no email, unverified', async () => {
      const claims = await accepts(sign(BASE));
      assert.deepEqual(claims, { externalId: 'u-1', emailVerified: false });
      assert.ok(!('name' in claims));
      assert.ok(!('email' in claims));
    });

    it('a full token gives name, email and verification', async () => {
      const claims = await accepts(
        sign({ ...BASE, name: 'Olga K', email: 'Olga@Example.com', email_verified: true, exp: NOW + 3600, iat: NOW - 10 }),
      );
      assert.deepEqual(claims, {
        externalId: 'u-1',
        name: 'Olga K',
        email: { raw: 'Olga@Example.com', address: 'Olga@Example.com', normalised: 'olga@example.com' },
        emailVerified: true,
      });
    });

    it('an email with surrounding spaces is usable and trimmed', async () => {
      const claims = await accepts(sign({ ...BASE, email: '  Olga@Example.COM ' }));
      assert.deepEqual(claims.email, {
        raw: '  Olga@Example.COM ',
        address: 'Olga@Example.COM',
        normalised: 'olga@example.com',
      });
    });

    it('an email is not Unicode-folded (Kelvin sign)', async () => {
      const claims = await accepts(sign({ ...BASE, email: '\u212Aelly@Example.com' }));
      assert.equal(claims.email?.normalised, '\u212Aelly@example.com');
    });

    it('email_verified false and absent both give emailVerified false; true gives true', async () => {
      assert.equal((await accepts(sign({ ...BASE, email: 'a@x.com', email_verified: false }))).emailVerified, false);
      assert.equal((await accepts(sign({ ...BASE, email: 'a@x.com' }))).emailVerified, false);
      assert.equal((await accepts(sign({ ...BASE, email: 'a@x.com', email_verified: true }))).emailVerified, true);
    });

    it('name "" is a name', async () => {
      const claims = await accepts(sign({ ...BASE, name: '' }));
      assert.ok('name' in claims);
      assert.equal(claims.name, '');
    });

    it('exp = now + 1 is accepted', async () => {
      await accepts(sign({ ...BASE, exp: NOW + 1 }));
    });

    it('iat = now and nbf = now are accepted', async () => {
      await accepts(sign({ ...BASE, iat: NOW, nbf: NOW }));
      await accepts(sign({ ...BASE, iat: NOW - 86400, nbf: NOW - 86400 }));
    });

    it('an external_id of 255 code units is accepted', async () => {
      const id = 'x'.repeat(255);
      assert.equal((await accepts(sign({ ...BASE, external_id: id }))).externalId, id);
      const astral = '\u{1F600}'.repeat(127) + 'x'; // 255 code units
      assert.equal((await accepts(sign({ ...BASE, external_id: astral }))).externalId, astral);
    });

    it('the external id is kept exactly: no trimming or case folding', async () => {
      assert.equal((await accepts(sign({ ...BASE, external_id: ' ann-1 ' }))).externalId, ' ann-1 ');
      assert.equal((await accepts(sign({ ...BASE, external_id: 'ANN-1' }))).externalId, 'ANN-1');
    });

    it('typ is not checked and unknown claims and header members are ignored', async () => {
      await accepts(sign({ ...BASE, iss: 'x', aud: 'y', sub: 'z', jti: 1, extra: { a: [1] } }, { header: { typ: 'nonsense', x5u: 1 } }));
      await accepts(rawToken('{"alg":"HS256","kid":"app_test"}', PAYLOAD_JSON));
    });

    it('JSON whitespace inside the header and payload is allowed', async () => {
      await accepts(rawToken(' { "alg" : "HS256" , "kid" : "app_test" }\n', '\t{"scope": "user",\r\n "external_id": "u-1"} '));
    });

    it('colons, quotes and backslashes inside strings do not count as member separators', async () => {
      await accepts(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u:1","a:b":"c:d","q\\":":"\\\\:","e":["x:y"]}'));
    });

    it('one "__proto__" member is an ordinary member', async () => {
      await accepts(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","__proto__":{"scope":"admin"}}'));
    });

    it('the same name in different objects is not a duplicate', async () => {
      await accepts(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","a":{"x":1},"b":{"x":2},"x":{"x":{"x":3}},"l":[{"x":1},{"x":2}]}'));
    });

    it('an escaped surrogate pair is well formed', async () => {
      const claims = await accepts(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-\\ud83d\\ude00"}'));
      assert.equal(claims.externalId, 'u-\u{1F600}');
    });

    it('an escaped backslash followed by "ud800" is not a surrogate escape', async () => {
      const claims = await accepts(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-\\\\ud800"}'));
      assert.equal(claims.externalId, 'u-\\ud800');
    });

    it('two configured keys: each kid selects its own secret', async () => {
      const both = await TokenVerifier.create([KEY, OTHER_KEY]);
      assert.equal((await accepts(signTestToken({ ...BASE, external_id: 'by-test' }, KEY), NOW, both)).externalId, 'by-test');
      assert.equal((await accepts(signTestToken({ ...BASE, external_id: 'by-other' }, OTHER_KEY), NOW, both)).externalId, 'by-other');
      await rejectsWith(signTestToken(BASE, KEY, { kid: OTHER_KEY.kid }), 'signature-invalid', NOW, both);
      await rejectsWith(signTestToken(BASE, OTHER_KEY, { kid: KEY.kid }), 'signature-invalid', NOW, both);
    });

    it('the clock is injected: the same token is valid before exp and expired from exp on', async () => {
      const token = sign({ ...BASE, exp: NOW + 60 });
      await accepts(token, NOW + 59);
      await rejectsWith(token, 'token-expired', NOW + 60);
    });

    it('a token of exactly 8 KiB is accepted', async () => {
      const token = tokenOfLength(MAX_TOKEN_LENGTH);
      assert.equal(token.length, 8192);
      await accepts(token);
    });

    it('verify imports no key and may be called concurrently', async () => {
      const subtle = crypto.subtle as { importKey: unknown };
      const original = crypto.subtle.importKey;
      let imports = 0;
      subtle.importKey = function (this: unknown, ...args: unknown[]) {
        imports++;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
      try {
        const tokens = Array.from({ length: 20 }, (_, i) => sign({ ...BASE, external_id: `u-${i}` }));
        const results = await Promise.all(tokens.map((token) => verifier.verify(token, NOW)));
        assert.deepEqual(
          results.map((r) => r.externalId),
          tokens.map((_, i) => `u-${i}`),
        );
      } finally {
        delete (subtle as { importKey?: unknown }).importKey;
      }
      assert.equal(crypto.subtle.importKey, original);
      assert.equal(imports, 0);
    });
  });

  describe('the bad-token catalog', () => {
    it('a signature made with another secret', async () => {
      await rejectsWith(signTestToken(BASE, { kid: 'app_test', secret: 'a different secret, also long enough' }), 'signature-invalid');
    });

    it('a signature altered in one character', async () => {
      const token = sign(BASE);
      const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.slice(-1);
      await rejectsWith(flipped, 'signature-invalid');
    });

    it('a payload altered after signing', async () => {
      const [h, , s] = sign(BASE).split('.');
      await rejectsWith(`${h}.${b64('{"scope":"user","external_id":"u-2"}')}.${s}`, 'signature-invalid');
    });

    it('alg "none", with or without a signature', async () => {
      await rejectsWith(sign(BASE, { header: { alg: 'none' } }), 'alg-not-allowed');
      await rejectsWith(`${b64('{"alg":"none","typ":"JWT","kid":"app_test"}')}.${b64(PAYLOAD_JSON)}.`, 'alg-not-allowed');
    });

    it('alg "HS512"', async () => {
      await rejectsWith(sign(BASE, { header: { alg: 'HS512' } }), 'alg-not-allowed');
    });

    it('alg "RS256" with the HMAC secret as public key', async () => {
      await rejectsWith(sign(BASE, { header: { alg: 'RS256' } }), 'alg-not-allowed');
    });

    it('alg compared exactly, and required', async () => {
      await rejectsWith(sign(BASE, { header: { alg: 'hs256' } }), 'alg-not-allowed');
      await rejectsWith(sign(BASE, { header: { alg: 'HS256 ' } }), 'alg-not-allowed');
      await rejectsWith(sign(BASE, { header: { alg: ['HS256'] } }), 'alg-not-allowed');
      await rejectsWith(rawToken('{"typ":"JWT","kid":"app_test"}', PAYLOAD_JSON), 'alg-not-allowed');
    });

    it('an unknown kid, matched exactly', async () => {
      await rejectsWith(sign(BASE, { kid: 'app_unknown' }), 'kid-unknown');
      await rejectsWith(sign(BASE, { kid: 'APP_TEST' }), 'kid-unknown');
      await rejectsWith(sign(BASE, { kid: 'app_test ' }), 'kid-unknown');
      await rejectsWith(sign(BASE, { kid: '' }), 'kid-unknown');
      await rejectsWith(sign(BASE, { kid: '__proto__' }), 'kid-unknown');
      await rejectsWith(sign(BASE, { kid: 'toString' }), 'kid-unknown');
    });

    it('a missing kid, or one that is not a string', async () => {
      await rejectsWith(rawToken('{"alg":"HS256","typ":"JWT"}', PAYLOAD_JSON), 'kid-missing');
      await rejectsWith(sign(BASE, { header: { kid: 42 } }), 'kid-missing');
      await rejectsWith(sign(BASE, { header: { kid: null } }), 'kid-missing');
      await rejectsWith(sign(BASE, { header: { kid: ['app_test'] } }), 'kid-missing');
    });

    it('an expired exp, including exp = now', async () => {
      await rejectsClaims({ ...BASE, exp: NOW - 3600 }, 'token-expired');
      await rejectsClaims({ ...BASE, exp: NOW }, 'token-expired');
      await rejectsClaims({ ...BASE, exp: 0 }, 'token-expired');
    });

    it('exp not a finite number: 1e400, -1e400, a string, null', async () => {
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","exp":1e400}'), 'exp-invalid');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","exp":-1e400}'), 'exp-invalid');
      await rejectsClaims({ ...BASE, exp: String(NOW + 3600) }, 'exp-invalid');
      await rejectsClaims({ ...BASE, exp: null }, 'exp-invalid');
    });

    it('iat in the future', async () => {
      await rejectsClaims({ ...BASE, iat: NOW + 1 }, 'iat-in-future');
      await rejectsClaims({ ...BASE, iat: NOW + 86400, exp: NOW + 90000 }, 'iat-in-future');
    });

    it('iat not a finite number', async () => {
      await rejectsClaims({ ...BASE, iat: String(NOW) }, 'iat-invalid');
      await rejectsClaims({ ...BASE, iat: null }, 'iat-invalid');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","iat":1e400}'), 'iat-invalid');
    });

    it('nbf in the future', async () => {
      await rejectsClaims({ ...BASE, nbf: NOW + 1 }, 'nbf-in-future');
    });

    it('nbf not a finite number', async () => {
      await rejectsClaims({ ...BASE, nbf: 'now' }, 'nbf-invalid');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","nbf":1e400}'), 'nbf-invalid');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","nbf":-1e400}'), 'nbf-invalid');
    });

    it('scope missing or not "user"', async () => {
      await rejectsClaims({ external_id: 'u-1' }, 'scope-invalid');
      for (const scope of ['users', 'User', ' user', '', null, ['user'], 1]) {
        await rejectsClaims({ ...BASE, scope }, 'scope-invalid');
      }
    });

    it('external_id missing, empty, a number, an array, null', async () => {
      await rejectsClaims({ scope: 'user' }, 'external-id-invalid');
      for (const external_id of ['', 42, ['u-1'], null, { id: 'u-1' }, true]) {
        await rejectsClaims({ ...BASE, external_id }, 'external-id-invalid');
      }
    });

    it('external_id longer than 255 code units', async () => {
      await rejectsClaims({ ...BASE, external_id: 'x'.repeat(256) }, 'external-id-invalid');
      await rejectsClaims({ ...BASE, external_id: '\u{1F600}'.repeat(128) }, 'external-id-invalid');
    });

    it('email_verified present but not a boolean: never coerced', async () => {
      for (const email_verified of ['true', 'false', 1, 0, null, [], {}]) {
        await rejectsClaims({ ...BASE, email: 'a@x.com', email_verified }, 'email-verified-invalid');
      }
      await rejectsClaims({ ...BASE, email_verified: 'true' }, 'email-verified-invalid');
    });

    it('the email_verified message names the offending value', async () => {
      await assert.rejects(
        verifier.verify(sign({ ...BASE, email_verified: 'true' }), NOW),
        (e: unknown) => e instanceof InvalidTokenError && e.message === 'claim "email_verified" must be a JSON boolean, got the string "true"',
      );
    });

    it('name present but not a string', async () => {
      for (const name of [42, null, true, ['Olga'], { first: 'Olga' }]) {
        await rejectsClaims({ ...BASE, name }, 'name-invalid');
      }
    });

    it('email present but not a usable address (null counts as present)', async () => {
      const bad = [
        null,
        42,
        true,
        ['a@x.com'],
        '',
        'olga',
        'a@b@x.com',
        '@x.com',
        'a@',
        'a@.x.com',
        'a@x.com.',
        'a@x..com',
        '\uFEFFa@x.com',
        '\u00A0a@x.com',
        'a@x.com\t',
        'a\u200Bb@x.com',
        'a\u202Eb@x.com',
        'a\u0001b@x.com',
        'a b@x.com',
        'a'.repeat(243) + '@example.com',
      ];
      for (const email of bad) await rejectsClaims({ ...BASE, email }, 'email-invalid');
    });

    it('an email with a lone surrogate is refused when the payload is decoded', async () => {
      // JSON.stringify writes the lone surrogate as a \ud800 escape, which decoding refuses first.
      await rejectsClaims({ ...BASE, email: 'a\uD800b@x.com' }, 'lone-surrogate');
    });

    it('an email of 254 code units is usable, 255 is not', async () => {
      await accepts(sign({ ...BASE, email: 'a'.repeat(242) + '@example.com' }));
      await rejectsClaims({ ...BASE, email: 'a'.repeat(243) + '@example.com' }, 'email-invalid');
    });

    it('a duplicated member name in the header', async () => {
      await rejectsWith(rawToken('{"alg":"HS256","kid":"app_test","kid":"app_test"}', PAYLOAD_JSON), 'duplicate-member');
      // Last-one-wins would read HS256 here.
      await rejectsWith(rawToken('{"alg":"none","alg":"HS256","kid":"app_test"}', PAYLOAD_JSON), 'duplicate-member');
    });

    it('a duplicated member name in the payload', async () => {
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","external_id":"u-2"}'), 'duplicate-member');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","email_verified":false,"email_verified":true}'), 'duplicate-member');
    });

    it('a duplicated member name compared after unescaping', async () => {
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","\\u0073cope":"user"}'), 'duplicate-member');
      await rejectsWith(rawToken('{"alg":"HS256","kid":"app_test","\\u006bid":"app_test"}', PAYLOAD_JSON), 'duplicate-member');
    });

    it('a duplicated member name in a nested object or an object in an array', async () => {
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","x":{"a":1,"a":2}}'), 'duplicate-member');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","x":[{"a":1},{"b":1,"b":1}]}'), 'duplicate-member');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","x":{"y":{"z":{"a":1,"a":1}}}}'), 'duplicate-member');
      await rejectsWith(rawToken('{"alg":"HS256","kid":"app_test","jwk":{"k":"a","k":"b"}}', PAYLOAD_JSON), 'duplicate-member');
    });

    it('a duplicated "__proto__" member', async () => {
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","__proto__":1,"__proto__":2}'), 'duplicate-member');
    });

    it('a token larger than 8 KiB', async () => {
      await rejectsWith(tokenOfLength(MAX_TOKEN_LENGTH + 1), 'token-too-large');
      await rejectsWith('a'.repeat(100_000), 'token-too-large');
      await rejectsWith(' '.repeat(MAX_TOKEN_LENGTH + 1), 'token-too-large');
    });

    it('a space anywhere', async () => {
      const token = sign(BASE);
      const dot = token.indexOf('.');
      await rejectsWith(` ${token}`, 'token-malformed');
      await rejectsWith(`${token} `, 'token-malformed');
      await rejectsWith(`${token.slice(0, dot + 5)} ${token.slice(dot + 5)}`, 'token-malformed');
      await rejectsWith(`${token.slice(0, dot)} .${token.slice(dot + 1)}`, 'token-malformed');
    });

    it('a newline or other whitespace anywhere', async () => {
      const token = sign(BASE);
      const dot = token.indexOf('.');
      await rejectsWith(`${token}\n`, 'token-malformed');
      await rejectsWith(`${token}\r\n`, 'token-malformed');
      await rejectsWith(`${token.slice(0, dot + 5)}\n${token.slice(dot + 5)}`, 'token-malformed');
      await rejectsWith(`\t${token}`, 'token-malformed');
      await rejectsWith(`${token.slice(0, 10)}\u00A0${token.slice(10)}`, 'token-malformed');
      await rejectsWith(`\uFEFF${token}`, 'token-malformed');
    });

    it('"=" padding', async () => {
      const [h, p, s] = sign(BASE).split('.') as [string, string, string];
      await rejectsWith(`${h}=.${p}.${s}`, 'token-malformed');
      await rejectsWith(`${h}.${p}==.${s}`, 'token-malformed');
      await rejectsWith(`${h}.${p}.${s}=`, 'token-malformed');
    });

    it('a character outside base64url', async () => {
      const [h, p, s] = sign(BASE).split('.') as [string, string, string];
      await rejectsWith(`${h}.${p.slice(0, 4)}+${p.slice(5)}.${s}`, 'token-malformed');
      await rejectsWith(`${h}.${p}.${s.slice(0, 4)}/${s.slice(5)}`, 'token-malformed');
      await rejectsWith(`${h}*.${p}.${s}`, 'token-malformed');
      await rejectsWith(`${h}.${p}.${s.slice(0, -1)}é`, 'token-malformed');
    });

    it('not three segments', async () => {
      const token = sign(BASE);
      const [h, p, s] = token.split('.') as [string, string, string];
      await rejectsWith(`${h}.${p}`, 'token-malformed');
      await rejectsWith(`${token}.${s}`, 'token-malformed');
      await rejectsWith(`${token}.`, 'token-malformed');
      await rejectsWith(h, 'token-malformed');
      await rejectsWith('', 'token-malformed');
      await rejectsWith('....', 'token-malformed');
    });

    it('three empty segments: the header is not JSON', async () => {
      await rejectsWith('..', 'header-invalid');
    });

    it('non-canonical base64url: unused bits set in the signature (it would verify otherwise)', async () => {
      const [h, p, s] = sign(BASE).split('.') as [string, string, string];
      await rejectsWith(`${h}.${p}.${withUnusedBitSet(s)}`, 'token-not-canonical');
    });

    it('non-canonical base64url: unused bits set in the header or the payload (signed as sent)', async () => {
      const header = b64(withUnusedBits(HEADER_JSON));
      const payload = b64(withUnusedBits(PAYLOAD_JSON));
      await accepts(`${header}.${payload}.${hmac(`${header}.${payload}`)}`);
      const badHeader = withUnusedBitSet(header);
      const badPayload = withUnusedBitSet(payload);
      await rejectsWith(`${badHeader}.${payload}.${hmac(`${badHeader}.${payload}`)}`, 'token-not-canonical');
      await rejectsWith(`${header}.${badPayload}.${hmac(`${header}.${badPayload}`)}`, 'token-not-canonical');
    });

    it('non-canonical base64url: a segment length of 1 mod 4', async () => {
      const [h, p, s] = sign(BASE).split('.') as [string, string, string];
      const payload = p.length % 4 === 0 ? `${p}A` : p.length % 4 === 3 ? `${p}AA` : `${p}AAA`;
      assert.equal(payload.length % 4, 1);
      await rejectsWith(`${h}.${payload}.${s}`, 'token-not-canonical');
      await rejectsWith(`${h}.${p}.${s}AA`, 'token-not-canonical');
    });

    it('a BOM-prefixed payload or header', async () => {
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      const payloadWithBom = rawToken(HEADER_JSON, Buffer.concat([bom, Buffer.from(PAYLOAD_JSON)]));
      await rejectsWith(payloadWithBom, 'payload-invalid');
      await rejectsWith(rawToken(Buffer.concat([bom, Buffer.from(HEADER_JSON)]), PAYLOAD_JSON), 'header-invalid');
      // JSON.parse would refuse U+FEFF too; the decoder keeps it (ignoreBOM) so that the message says why.
      await assert.rejects(verifier.verify(payloadWithBom, NOW), /byte order mark/);
    });

    it('invalid UTF-8 in the payload or header', async () => {
      const wrap = (bytes: number[]) =>
        Buffer.concat([Buffer.from('{"scope":"user","external_id":"u-'), Buffer.from(bytes), Buffer.from('"}')]);
      await rejectsWith(rawToken(HEADER_JSON, wrap([0xff])), 'payload-invalid');
      await rejectsWith(rawToken(HEADER_JSON, wrap([0xc0, 0xaf])), 'payload-invalid'); // overlong "/"
      await rejectsWith(rawToken(HEADER_JSON, wrap([0xed, 0xa0, 0x80])), 'payload-invalid'); // encoded surrogate
      await rejectsWith(rawToken(HEADER_JSON, wrap([0xe2, 0x82])), 'payload-invalid'); // truncated sequence
      const header = Buffer.concat([Buffer.from('{"alg":"HS256","kid":"app_test","x":"'), Buffer.from([0x80]), Buffer.from('"}')]);
      await rejectsWith(rawToken(header, PAYLOAD_JSON), 'header-invalid');
    });

    it('a header or payload that is not a JSON object', async () => {
      for (const text of ['[]', 'null', '"HS256"', '1', '{"alg":"HS256"', '{alg:"HS256"}', '']) {
        await rejectsWith(rawToken(text, PAYLOAD_JSON), 'header-invalid');
      }
      for (const text of ['[{"scope":"user"}]', 'true', '"x"', '{"scope":"user",}', "{'scope':'user'}", '']) {
        await rejectsWith(rawToken(HEADER_JSON, text), 'payload-invalid');
      }
    });

    it('a lone surrogate escape', async () => {
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-\\ud800"}'), 'lone-surrogate');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-\\uDFFF"}'), 'lone-surrogate');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-\\ude00\\ud83d"}'), 'lone-surrogate');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","\\ud800":1}'), 'lone-surrogate');
      await rejectsWith(rawToken(HEADER_JSON, '{"scope":"user","external_id":"u-1","x":[{"y":["\\ud800"]}]}'), 'lone-surrogate');
      await rejectsWith(rawToken('{"alg":"HS256","kid":"app_test","x":"\\udbff"}', PAYLOAD_JSON), 'lone-surrogate');
    });

    it('crit present', async () => {
      await rejectsWith(sign(BASE, { header: { crit: ['b64'], b64: true } }), 'crit-present');
      await rejectsWith(sign(BASE, { header: { crit: ['exp'] } }), 'crit-present');
      await rejectsWith(sign(BASE, { header: { crit: [] } }), 'crit-present');
      await rejectsWith(sign(BASE, { header: { crit: null } }), 'crit-present');
    });

    it('not a string', async () => {
      for (const token of [undefined, null, 42, {}, ['a.b.c'], Buffer.from(sign(BASE))]) {
        await rejectsWith(token, 'token-not-string');
      }
    });
  });

  describe('order of checks', () => {
    it('size before shape, shape before content', async () => {
      await rejectsWith(`${sign(BASE)} ${'a'.repeat(MAX_TOKEN_LENGTH)}`, 'token-too-large');
      await rejectsWith(`${sign({ ...BASE, exp: 0 })}\n`, 'token-malformed');
    });

    it('alg before kid, signature before claims, time before scope', async () => {
      await rejectsWith(sign(BASE, { header: { alg: 'none' }, kid: 'app_unknown' }), 'alg-not-allowed');
      await rejectsWith(signTestToken({ ...BASE, exp: 0 }, { kid: 'app_test', secret: 'a different secret, also long enough' }), 'signature-invalid');
      await rejectsClaims({ exp: 0 }, 'token-expired');
    });
  });

  describe('the clock', () => {
    it('must be a whole number of seconds (a caller error, not a token error)', async () => {
      for (const now of [NaN, Infinity, NOW + 0.5, 1e300]) {
        await assert.rejects(verifier.verify(sign(BASE), now), (e: unknown) => e instanceof InvalidArgumentError);
      }
    });
  });

  describe('key configuration (TokenVerifier.create)', () => {
    const rejectsKeys = (keys: KeyConfig[], member: 'kid' | 'secret' | null, index: number) =>
      assert.rejects(TokenVerifier.create(keys), (e: unknown) => {
        assert.ok(e instanceof InvalidKeyError, String(e));
        assert.equal(e.code, 'invalid-key');
        assert.equal(e.member, member);
        assert.equal(e.index, index);
        return true;
      });

    it('a secret shorter than 32 bytes is refused', async () => {
      await rejectsKeys([{ kid: 'app_short', secret: 'x'.repeat(31) }], 'secret', 0);
      await rejectsKeys([KEY, { kid: 'app_short', secret: 'short' }], 'secret', 1);
    });

    it('a secret of 32 bytes is accepted; bytes are UTF-8, not characters', async () => {
      await TokenVerifier.create([{ kid: 'app_32', secret: 'x'.repeat(32) }]);
      const euro = { kid: 'app_euro', secret: '€'.repeat(11) }; // 11 characters, 33 bytes
      const withEuro = await TokenVerifier.create([euro]);
      await accepts(signTestToken(BASE, euro), NOW, withEuro);
      await rejectsKeys([{ kid: 'app_ascii', secret: 'é'.repeat(15) }], 'secret', 0); // 30 bytes
    });

    it('two keys with one kid are refused', async () => {
      await rejectsKeys([KEY, { kid: KEY.kid, secret: OTHER_KEY.secret }], 'kid', 1);
    });

    it('an empty key list or an empty kid is refused', async () => {
      await rejectsKeys([], null, 0);
      await rejectsKeys([{ kid: '', secret: KEY.secret }], 'kid', 0);
    });
  });
});

/** A valid token of exactly `length` characters, padded through a claim and a header member. */
function tokenOfLength(length: number): string {
  const b64Length = (bytes: number) => Math.ceil((bytes * 4) / 3);
  for (let extra = 0; extra < 3; extra++) {
    const header = { x: 'h'.repeat(extra) };
    const headerLength = b64Length(Buffer.byteLength(`${HEADER_JSON.slice(0, -1)},"x":"${header.x}"}`));
    const fixed = headerLength + 1 + 1 + 43;
    const payloadBase = Buffer.byteLength(`${PAYLOAD_JSON.slice(0, -1)},"pad":""}`);
    for (let pad = 0; fixed + b64Length(payloadBase + pad) <= length; pad++) {
      if (fixed + b64Length(payloadBase + pad) === length) {
        const token = sign({ ...BASE, pad: 'p'.repeat(pad) }, { header });
        assert.equal(token.length, length);
        return token;
      }
    }
  }
  throw new Error(`no token of length ${length}`);
}
