import { strict as assert } from 'node:assert';
import { Engine } from '../../src/engine';
import { TokenVerifier } from '../../src/identity/token';
import { InvalidTokenError } from '../../src/errors';
import { settingsOf, SETTING_IDS } from '../../src/domain';
import { badTokenCatalog, KEY, NOW } from '../fixtures/tokens';

/**
 * Every bad token of `inputs.md` is rejected with `invalid-token` (AUTH-INVALID-TOKEN) and leaves the
 * store byte for byte as it was (P5, INV-REJECT-WRITES-NOTHING): as a new signed-in conversation and
 * as a visitor's login, in every setting.
 */
describe('engine: a bad token writes nothing', () => {
  const catalog = badTokenCatalog();

  it('the catalog covers every reason it claims (each token fails for its own reason)', async () => {
    const verifier = await TokenVerifier.create([KEY]);
    for (const bad of catalog) {
      await assert.rejects(verifier.verify(bad.token, NOW), (error: unknown) => {
        assert.ok(error instanceof InvalidTokenError, bad.name);
        assert.equal(error.reason, bad.reason, bad.name);
        return true;
      });
    }
  });

  for (const setting of SETTING_IDS) {
    describe(`under ${setting}`, () => {
      let engine: Engine;
      beforeEach(async () => {
        engine = await Engine.open({ settings: settingsOf(setting), keys: [KEY], now: () => NOW });
        // A store where an accepted token would change something: Ann holds her address unverified.
        engine.addUsers([{ ref: 'ann', name: 'Ann', emails: [{ address: 'ann@example.com', verified: false }] }]);
        engine.visitor('c0', { name: 'Ann', email: null });
      });
      afterEach(() => engine.close());

      for (const bad of catalog) {
        it(`${bad.name}: signed-in and login both rejected, store unchanged`, async () => {
          const before = engine.store.dump();
          const signedIn = await engine.signedIn('c1', bad.token);
          const login = await engine.login('l1', 'c0', bad.token);
          for (const result of [signedIn, login]) {
            assert.equal(result.outcome, 'rejected');
            assert.equal(result.rule, 'AUTH-INVALID-TOKEN');
            assert.equal(result.user, null);
            assert.deepEqual(result.flags, []);
            assert.equal(result.error?.code, 'invalid-token');
          }
          assert.ok(engine.store.dump().equals(before), 'the database image changed');
        });
      }
    });
  }

  it('a control case: the same store does change for a good token (the comparison can fail)', async () => {
    const engine = await Engine.open({ settings: settingsOf('verified-only'), keys: [KEY], now: () => NOW });
    try {
      const before = engine.store.dump();
      const { signTestToken } = await import('../../src/identity/sign');
      const result = await engine.signedIn('c1', signTestToken({ scope: 'user', external_id: 'ann-1' }, KEY));
      assert.equal(result.outcome, 'created');
      assert.ok(!engine.store.dump().equals(before));
    } finally {
      engine.close();
    }
  });
});
