import { strict as assert } from 'node:assert';
import { InvalidTokenError } from '../src/errors';
import { TokenVerifier } from '../src/identity/token';
import { tokenOf } from '../src/replay/run';
import { BAD_TOKENS } from '../steps/support/bad-tokens';
import { COMPANY_KEY, NOW, ONE_DAY } from '../steps/support/company';
import { badTokenCatalog } from './fixtures/tokens';

/**
 * The bad-token scenarios (features/bad-tokens) say in words which token they send; this checks that
 * the words cover the whole catalog of inputs.md (as test/fixtures/tokens.ts lists it) and that each
 * token is refused for the very reason its words give, not by accident (a bad signature, say).
 */
describe('coverage: the bad-token phrases of the feature files', () => {
  const claims = { scope: 'user', external_id: 'ann-1', name: 'Ann', email: 'ann@example.com', email_verified: true, exp: NOW + ONE_DAY };
  let verifier: TokenVerifier;
  before(async () => {
    verifier = await TokenVerifier.create([COMPANY_KEY]);
  });

  it('cover every row of the bad-token catalog', () => {
    const covered = new Set(BAD_TOKENS.map((entry) => entry.catalog));
    const missing = badTokenCatalog().filter((bad) => !covered.has(bad.name)).map((bad) => bad.name);
    assert.deepEqual(missing, [], 'catalog rows without a phrase in steps/support/bad-tokens.ts');
  });

  it('are distinct', () => {
    assert.equal(new Set(BAD_TOKENS.map((entry) => entry.phrase)).size, BAD_TOKENS.length);
  });

  it('start from a good token: the same claims, signed the same way, are accepted', async () => {
    const verified = await verifier.verify(tokenOf({ claims }, COMPANY_KEY), NOW);
    assert.equal(verified.externalId, 'ann-1');
  });

  for (const entry of BAD_TOKENS) {
    it(`"${entry.phrase}" is refused as ${entry.reason}`, async () => {
      const token = tokenOf(entry.source(claims), COMPANY_KEY);
      await assert.rejects(verifier.verify(token, NOW), (error: unknown) => {
        assert.ok(error instanceof InvalidTokenError, String(error));
        assert.equal(error.reason, entry.reason, error.message);
        return true;
      });
    });
  }
});
