import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chooseEntry } = require('../../bin/entry.js') as { chooseEntry: (root: string, env: NodeJS.ProcessEnv) => 'compiled' | 'source' };

describe('bin/idmatrix.js runs the build only when it is fresh', () => {
  let root: string;
  const at = (file: string, seconds: number) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
    utimesSync(join(root, file), seconds, seconds);
  };
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'idmatrix-entry-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('runs the sources when there is no build', () => {
    at('src/cli/main.ts', 1000);
    assert.equal(chooseEntry(root, {}), 'source');
  });

  it('runs the build when it is newer than every source', () => {
    at('src/cli/main.ts', 1000);
    at('src/policy/auth.ts', 1500);
    at('dist/cli/main.js', 2000);
    assert.equal(chooseEntry(root, {}), 'compiled');
  });

  it('runs the sources when one source, however deep, is newer than the build', () => {
    at('src/cli/main.ts', 1000);
    at('dist/cli/main.js', 2000);
    at('src/policy/deep/auth.ts', 3000);
    assert.equal(chooseEntry(root, {}), 'source');
  });

  it('runs the sources when IDMATRIX_SOURCE=1, however fresh the build', () => {
    at('src/cli/main.ts', 1000);
    at('dist/cli/main.js', 2000);
    assert.equal(chooseEntry(root, { IDMATRIX_SOURCE: '1' }), 'source');
  });

  it('runs the build of an installed package, which ships no sources', () => {
    at('dist/cli/main.js', 2000);
    assert.equal(chooseEntry(root, {}), 'compiled');
  });
});
