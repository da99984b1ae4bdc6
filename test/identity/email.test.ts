import { strict as assert } from 'node:assert';
import { normaliseAddress } from '../../src/identity/email';

describe('email addresses (inputs.md)', () => {
  it('trims only U+0020 and folds only A-Z', () => {
    assert.equal(normaliseAddress('  Olga@Example.COM '), 'olga@example.com');
  });
});
