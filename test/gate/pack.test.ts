import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chooseEntry } = require('../../bin/entry.js') as { chooseEntry: (root: string, env: NodeJS.ProcessEnv) => 'compiled' | 'source' };

/**
 * Installable by another team: the package is packed (`npm pack`), the tarball installed into an empty
 * folder as a dev dependency, and `npx idmatrix conform` run there against a `cmd:` target (the
 * installed package's `idmatrix serve --stdio`), on the vectors that ship in the package; then through
 * the Python example target that ships with it (conformance/example-target.py, wrapping `idmatrix
 * replay`): a vector passes, and an import vector is not supported.
 *
 * One shortcut, said plainly: the install runs with --ignore-scripts, so better-sqlite3 is not compiled
 * there (about 90 s); its native addon is copied from this project's node_modules instead. It is the
 * same package version, built by `npm ci` on this machine for this Node's ABI, which is what the
 * install would compile. Everything else comes from the tarball and the npm registry (or its cache).
 * The build in dist/ is made first when any source is newer (npm ci's `prepare` has made it in CI).
 */

const ROOT = join(__dirname, '..', '..');

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const { IDMATRIX_SOURCE: _source, ...env } = process.env;
  const result = spawnSync(command, args, { cwd, env: { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result;
}

describe('installable by another team: npm pack, installed into an empty folder, npx idmatrix conform there', function () {
  this.timeout(300_000);
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), 'idmatrix-pack-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('runs conform on the shipped vectors against a cmd: target, from the installed package only', () => {
    if (chooseEntry(ROOT, {}) !== 'compiled') {
      const build = run('npm', ['run', '-s', 'build'], ROOT);
      assert.equal(build.status, 0, build.stderr);
    }
    const pack = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT);
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = join(work, pack.stdout.trim().split('\n').at(-1) as string);
    assert.ok(existsSync(tarball), pack.stdout);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'a-team-s-service', version: '1.0.0', private: true }, null, 2)}\n`);
    const install = run('npm', ['install', '--save-dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
    assert.equal(install.status, 0, install.stderr);

    const installed = join(app, 'node_modules', 'idmatrix');
    assert.deepEqual(readdirSync(installed).sort(), ['LICENSE', 'README.md', 'bin', 'conformance', 'dist', 'package.json', 'vectors'], 'the package ships its files list, no sources');
    const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(app, addon, '..'), { recursive: true });
    copyFileSync(join(ROOT, addon), join(app, addon));

    // The target is the installed package's own bin as a team would run it (node instead of a second npx: 3 s less).
    const target = `cmd:${process.execPath} node_modules/idmatrix/bin/idmatrix.js serve --stdio`;
    const conform = run('npx', ['--no-install', 'idmatrix', 'conform', '--quiet', '--target', target], app);
    const last = conform.stdout.trimEnd().split('\n').at(-1) ?? '';
    console.log(`      installed: ${last}`);
    assert.equal(conform.stderr, '');
    assert.equal(conform.status, 0, conform.stdout);
    assert.ok(last.includes(`vectors against ${target}, reading reference`), last);
    assert.match(last, /^(\d+) passed, 0 failed, 0 expected failures, 0 not supported \(\1 vectors /);

    // The Python example target ships with the package: a vector passes through it, an import vector is not supported.
    const example = `cmd:python3 node_modules/idmatrix/conformance/example-target.py ${process.execPath} node_modules/idmatrix/bin/idmatrix.js`;
    const vectors = ['signed-in/AUTH-ADOPT/auth-adopt.verified-only.1ebc5f8ccc.json', 'admin/ADMIN-IMPORT/admin-import.verified-only.a9ef9509a8.json'].map((file) => join('node_modules', 'idmatrix', 'vectors', file));
    const python = run('npx', ['--no-install', 'idmatrix', 'conform', ...vectors, '--target', example], app);
    assert.equal(python.status, 0, `${python.stdout}${python.stderr}`);
    assert.match(python.stdout, /reading reference \(the target does not say\)/);
    assert.match(python.stdout, /^PASS  auth-adopt\.verified-only\.1ebc5f8ccc /m);
    assert.match(python.stdout, /^N\/S   admin-import\.verified-only\.a9ef9509a8 .* — ADMIN-IMPORT \(the \{"import": …\} message\) is not supported by this target$/m);
    assert.match(python.stdout.trimEnd().split('\n').at(-1) as string, /^1 passed, 0 failed, 0 expected failures, 1 not supported /);
  });
});
