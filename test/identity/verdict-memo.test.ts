import { strict as assert } from 'node:assert';
import { InvalidTokenError } from '../../src/errors';
import { BoundedMemo } from '../../src/identity/memo';
import { signTestToken } from '../../src/identity/sign';
import { TokenVerifier, VERDICTS } from '../../src/identity/token';
import { SIGNED_TOKENS, tokenOf } from '../../src/replay/run';
import { KEY, NOW } from '../fixtures/tokens';

/**
 * The verdict memo (issue 11): verification is a pure function of the token text, the key set and the
 * clock second, so a verdict may be repeated for exactly those three, and never for anything else.
 */
describe('verdict memo of token verification', () => {
  const claims = { scope: 'user', external_id: 'memo-1', email: 'memo@example.com', email_verified: true };

  beforeEach(() => VERDICTS.clear());

  it('the same token, key set and second: the second verdict comes from the memo, the same claims', async () => {
    const verifier = await TokenVerifier.create([KEY]);
    const token = signTestToken(claims, KEY);
    const first = await verifier.verify(token, NOW);
    assert.equal(VERDICTS.misses, 1);
    const second = await verifier.verify(token, NOW);
    assert.equal(VERDICTS.hits, 1);
    assert.deepEqual(second, first);
  });

  it('is shared by verifiers of the same key set', async () => {
    const token = signTestToken(claims, KEY);
    await (await TokenVerifier.create([KEY])).verify(token, NOW);
    await (await TokenVerifier.create([{ ...KEY }])).verify(token, NOW);
    assert.deepEqual([VERDICTS.misses, VERDICTS.hits], [1, 1]);
  });

  it('another key set (same kid, another secret) verifies again: an accepted token is refused there', async () => {
    const token = signTestToken(claims, KEY);
    await (await TokenVerifier.create([KEY])).verify(token, NOW);
    const other = await TokenVerifier.create([{ kid: KEY.kid, secret: 'another secret of at least thirty-two bytes' }]);
    await assert.rejects(other.verify(token, NOW), (error: unknown) => error instanceof InvalidTokenError && error.reason === 'signature-invalid');
    assert.equal(VERDICTS.hits, 0);
  });

  it('another clock second verifies again: a token accepted before its exp is refused from exp on', async () => {
    const verifier = await TokenVerifier.create([KEY]);
    const token = signTestToken({ ...claims, exp: NOW + 1 }, KEY);
    await verifier.verify(token, NOW);
    await assert.rejects(verifier.verify(token, NOW + 1), (error: unknown) => error instanceof InvalidTokenError && error.reason === 'token-expired');
    assert.equal(VERDICTS.hits, 0);
  });

  it('a refusal is remembered with its reason and message', async () => {
    const verifier = await TokenVerifier.create([KEY]);
    const token = signTestToken(claims, { kid: KEY.kid, secret: 'not the secret the verifier knows, 32+ bytes' });
    const reasons: string[] = [];
    for (let i = 0; i < 2; i++) {
      await assert.rejects(verifier.verify(token, NOW), (error: unknown) => {
        assert.ok(error instanceof InvalidTokenError);
        reasons.push(`${error.reason}: ${error.message}`);
        return true;
      });
    }
    assert.equal(VERDICTS.hits, 1);
    assert.equal(reasons[0], reasons[1]);
  });

  it('claims handed out from the memo cannot be changed by their holder', async () => {
    const verifier = await TokenVerifier.create([KEY]);
    const token = signTestToken(claims, KEY);
    const first = await verifier.verify(token, NOW);
    assert.throws(() => {
      (first as { externalId: string }).externalId = 'someone else';
    }, TypeError);
    assert.equal((await verifier.verify(token, NOW)).externalId, 'memo-1');
  });

  it('the runner signs each (key, header, claims) once and gives the same token as signing afresh', () => {
    SIGNED_TOKENS.clear();
    const source = { claims: { scope: 'user', external_id: 'runner-memo' }, kid: 'app_x' };
    const token = tokenOf(source, KEY);
    assert.equal(tokenOf({ ...source, claims: { ...source.claims } }, KEY), token);
    assert.equal(SIGNED_TOKENS.hits, 1);
    assert.equal(token, signTestToken(source.claims, KEY, { kid: 'app_x' }));
    assert.notEqual(tokenOf({ claims: source.claims }, KEY), token, 'another kid is another token');
    assert.notEqual(tokenOf(source, { ...KEY, secret: `${KEY.secret}!` }), token, 'another secret is another token');
  });
});

describe('BoundedMemo', () => {
  it('keeps at most maxEntries; an entry in use survives, one not used goes', () => {
    const memo = new BoundedMemo<number>(4, 1000);
    memo.set('a', 1);
    memo.set('b', 2);
    memo.set('c', 3); // a and b become the older generation
    assert.equal(memo.get('a'), 1); // a is used: back to the younger one
    memo.set('d', 4); // the younger generation (c, a) is full: it becomes the older one, b goes
    memo.set('e', 5);
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((key) => memo.has(key)), [true, false, true, true, true]);
    assert.ok(memo.size <= 4);
  });

  it('never holds more than maxEntries, whatever the order of use', () => {
    const memo = new BoundedMemo<number>(10, 10_000);
    for (let i = 0; i < 1000; i++) {
      memo.set(`k${i}`, i);
      memo.get(`k${Math.floor(i / 2)}`);
      assert.ok(memo.size <= 10, `size ${memo.size} after ${i}`);
    }
  });

  it('keeps its keys within maxKeyChars, and never a key longer than half of it', () => {
    const memo = new BoundedMemo<number>(100, 16);
    for (const key of ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']) memo.set(key, key.length);
    // 16 code units at most: the younger generation holds 8 (eeee), the older 8 (cccc, dddd).
    assert.deepEqual(['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'].map((key) => memo.has(key)), [false, false, true, true, true]);
    memo.set('x'.repeat(9), 9);
    assert.equal(memo.has('x'.repeat(9)), false);
  });
});
