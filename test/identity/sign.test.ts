import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { signTestToken } from '../../src/identity/sign';
import { TokenVerifier } from '../../src/identity/token';

const KEY = { kid: 'app_test', secret: 'a secret of at least thirty-two bytes!!' };
const NOW = Date.parse('2026-01-01T00:00:00Z') / 1000;

function segments(token: string): { header: string; payload: string; signature: string } {
  const parts = token.split('.');
  assert.equal(parts.length, 3);
  const [header, payload, signature] = parts as [string, string, string];
  return {
    header: Buffer.from(header, 'base64url').toString('utf8'),
    payload: Buffer.from(payload, 'base64url').toString('utf8'),
    signature,
  };
}

describe('signTestToken (replay.md, signed-in events)', () => {
  it('writes the default header exactly', () => {
    const { header } = segments(signTestToken({ scope: 'user' }, KEY));
    assert.equal(header, '{"alg":"HS256","typ":"JWT","kid":"app_test"}');
  });

  it('writes the claims as JSON.stringify does, in the given order, adding nothing (no iat)', () => {
    const claims = { scope: 'user', external_id: 'u-1', email_verified: 'true', z: 1, a: [null, { b: 2 }] };
    const { payload } = segments(signTestToken(claims, KEY));
    assert.equal(payload, '{"scope":"user","external_id":"u-1","email_verified":"true","z":1,"a":[null,{"b":2}]}');
  });

  it('encodes non-ASCII claims as UTF-8', () => {
    const { payload } = segments(signTestToken({ name: 'Zoë 😀 ✓' }, KEY));
    assert.equal(payload, '{"name":"Zoë 😀 ✓"}');
  });

  it('signs with HMAC SHA-256 over the first two segments, keyed with the UTF-8 bytes of the secret', () => {
    const key = { kid: 'app_utf8', secret: 'ünïcödé secret, well over thirty-two bytes' };
    const token = signTestToken({ scope: 'user' }, key);
    const [h, p, s] = token.split('.');
    const expected = createHmac('sha256', Buffer.from(key.secret, 'utf8')).update(`${h}.${p}`).digest('base64url');
    assert.equal(s, expected);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('gives the same token as jose for the same header and claims', async () => {
    const claims = { scope: 'user', external_id: 'u-1', email: 'olga@example.com', email_verified: true };
    const ours = signTestToken(claims, KEY);
    const theirs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: KEY.kid })
      .sign(new TextEncoder().encode(KEY.secret));
    assert.equal(ours, theirs);
    const { payload, protectedHeader } = await jwtVerify(ours, new TextEncoder().encode(KEY.secret));
    assert.deepEqual(payload, claims);
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: 'JWT', kid: 'app_test' });
  });

  it('is deterministic and does not mutate its inputs', () => {
    const claims = { scope: 'user', external_id: 'u-1' };
    const header = { typ: 'at+jwt' };
    const first = signTestToken(claims, KEY, { header });
    assert.equal(signTestToken(claims, KEY, { header }), first);
    assert.deepEqual(claims, { scope: 'user', external_id: 'u-1' });
    assert.deepEqual(header, { typ: 'at+jwt' });
  });

  describe('options', () => {
    it('kid replaces the header kid in place', () => {
      const { header } = segments(signTestToken({}, KEY, { kid: 'app_other' }));
      assert.equal(header, '{"alg":"HS256","typ":"JWT","kid":"app_other"}');
    });

    it('header members replace existing ones in place and are added after them', () => {
      const { header } = segments(signTestToken({}, KEY, { header: { x: 1, typ: 'at+jwt', alg: 'none' } }));
      assert.equal(header, '{"alg":"none","typ":"at+jwt","kid":"app_test","x":1}');
    });

    it('header is merged first, then kid applies', () => {
      const { header } = segments(signTestToken({}, KEY, { header: { kid: 'from-header', crit: ['b64'] }, kid: 'from-kid' }));
      assert.equal(header, '{"alg":"HS256","typ":"JWT","kid":"from-kid","crit":["b64"]}');
    });

    it('header values are written as given, never coerced', () => {
      const { header } = segments(signTestToken({}, KEY, { header: { kid: 42, typ: null } }));
      assert.equal(header, '{"alg":"HS256","typ":null,"kid":42}');
    });

    it('a "__proto__" member from parsed JSON stays a member', () => {
      const { header } = segments(signTestToken({}, KEY, { header: JSON.parse('{"__proto__":{"x":1}}') }));
      assert.equal(header, '{"alg":"HS256","typ":"JWT","kid":"app_test","__proto__":{"x":1}}');
    });

    it('the signature still covers a header with alg "none"', () => {
      const token = signTestToken({}, KEY, { header: { alg: 'none' } });
      const [h, p, s] = token.split('.');
      assert.equal(s, createHmac('sha256', KEY.secret).update(`${h}.${p}`).digest('base64url'));
    });
  });

  it('produces tokens the verifier accepts', async () => {
    const verifier = await TokenVerifier.create([KEY]);
    const token = signTestToken({ scope: 'user', external_id: 'u-1', name: 'Olga' }, KEY);
    assert.deepEqual(await verifier.verify(token, NOW), { externalId: 'u-1', name: 'Olga', emailVerified: false });
  });
});
