import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCurrentRuleTable } from '../src/reports/catalog-markdown';

describe('README.md', () => {
  const root = join(__dirname, '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('starts with the two commands a new user needs: set up and run the matrix, run every test', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.match(firstBlock, /^npm ci && npm run verify\b/m);
    assert.match(firstBlock, /^npm test\b/m);
  });

  it('has the current rule table of the catalog (run `npm run docs` after changing rules.ts or the features)', () => {
    assert.equal(readme, withCurrentRuleTable(readme, root));
  });
});
