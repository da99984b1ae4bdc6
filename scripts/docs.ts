/** Rewrites the generated blocks of README.md from the rule catalog: `npm run docs`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCurrentRuleTable } from '../src/reports/catalog-markdown';

const root = join(__dirname, '..');
const path = join(root, 'README.md');
const before = readFileSync(path, 'utf8');
const after = withCurrentRuleTable(before, root);
writeFileSync(path, after);
console.log(before === after ? 'README.md is current' : 'README.md rule table rewritten');
