import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Stale vectors fail npm test: vectors/ must be what `npm run vectors` writes from the features and the spec now. */

const ROOT = join(__dirname, '..', '..');

describe('vectors/ is fresh', () => {
  it('is up to date: npm run vectors -- --check writes the same files from the features and the spec', function () {
    this.timeout(180_000);
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register', join(ROOT, 'scripts', 'vectors.ts'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /^vectors\/ is up to date: \d+ vectors\n$/);
  });

});
