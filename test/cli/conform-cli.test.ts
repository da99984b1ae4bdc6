import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileInput } from '../../src/cli/io';
import { main, type CliIO } from '../../src/cli/main';
import { buildHttpServer } from '../../src/server/http';
import { Service } from '../../src/server/service';

/** `idmatrix conform` and `idmatrix check --target` at the command line: output, exit statuses, bad input in one line. */

const ROOT = join(__dirname, '..', '..');
const ADOPT = join(ROOT, 'vectors', 'signed-in', 'AUTH-ADOPT');
const SCENARIO = join(ROOT, 'examples', 'LOGIN-MOVE', 'move-to-existing-customers.json');

async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), openInput: openFileInput, stderrIsTTY: false };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

describe('idmatrix conform and check --target (command line)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'idmatrix-conform-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one line per vector, the rule × setting matrix and the closing count; exit 0 when nothing fails', async () => {
    const { status, stdout, stderr } = await run(['conform', ADOPT, '--target', 'reference']);
    assert.equal(stderr, '');
    assert.equal(status, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'conform: 6 vectors against reference, reading reference (as the target says)');
    assert.equal(lines.filter((line) => /^PASS  auth-adopt\.[a-z-]+(\.seed)?\.[0-9a-f]{10}  /.test(line)).length, 6);
    assert.ok(lines.some((line) => /^rule\s+verified-only\s+verified-and-unverified\s+claim-verified$/.test(line)), stdout);
    assert.ok(lines.some((line) => /^AUTH-ADOPT\s+2 passed\s+2 passed\s+2 passed$/.test(line)), stdout);
    assert.match(lines.at(-1) as string, /^6 passed, 0 failed, 0 expected failures, 0 not supported \(6 vectors against reference, reading reference; no expected-failures file; [\d.]+ s\)$/);
  });

  it('exit 1 when a vector fails, naming where its result differs', async () => {
    const { status, stdout } = await run(['conform', ADOPT, '--target', 'reference:seed', '--no-expected-failures', '--quiet']);
    assert.equal(status, 1);
    assert.match(stdout, /^FAIL  auth-adopt\.verified-only\.[0-9a-f]{10}  .* — results\[0\]\.outcome: expected "joined", got "created"$/m);
    assert.match(stdout.trimEnd().split('\n').at(-1) as string, /^3 passed, 3 failed, /);
  });

  it('bad input is one line on standard error and exit 2: an unknown target, no target, a missing folder, a file that is not a vector', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ id: 'x' }));
    for (const [argv, message] of [
      [['conform', ADOPT, '--target', 'ftp://x'], /^--target "ftp:\/\/x": expected one of reference, reference:seed, reference:doc, http:\/\/host:port, cmd:<command line>\n$/],
      [['conform', ADOPT], /give --target \(or set IDMATRIX_TARGET\)/],
      [['conform', join(dir, 'nowhere'), '--target', 'reference'], /nowhere: ENOENT\n$/],
      [['conform', bad, '--target', 'reference'], /bad\.json: [a-z]+: expected a non-empty string\n$/],
      [['conform', ADOPT, '--target', 'reference', '--expected-failures', join(dir, 'none.json')], /none\.json: cannot read it \(ENOENT\)\n$/],
      [['check', SCENARIO, '--target', 'reference:seed', '--reading', 'doc'], /follows the seed reading, not doc/],
    ] as const) {
      const saved = process.env.IDMATRIX_TARGET;
      delete process.env.IDMATRIX_TARGET;
      try {
        const { status, stdout, stderr } = await run([...argv]);
        assert.equal(status, 2, argv.join(' '));
        assert.equal(stdout, '');
        assert.match(stderr, /^[^\n]+\n$/);
        assert.match(stderr, message);
      } finally {
        if (saved !== undefined) process.env.IDMATRIX_TARGET = saved;
      }
    }
  });

  it('check --target through a service replays each prefix there and says which checks it cannot make', async () => {
    // A real HTTP service (idmatrix serve's server, in this process on a free loopback port).
    const app = await buildHttpServer(new Service('seed', 'test'), { bodyLimit: 4 * 1024 * 1024 });
    const target = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { status, stdout } = await run(['check', SCENARIO, '--target', target]);
      assert.equal(status, 1);
      const lines = stdout.trimEnd().split('\n');
      assert.match(lines[0] as string, /^INV-VERIFIED-STAYS at events\[3\] \(c4\): verified "kim@example\.com" of kim moved to new:c4/);
      assert.equal(lines[1], '(the seed reading breaks INV-VERIFIED-STAYS on purpose: flows.md, "Other readings of the DISPUTED rules")');
      assert.equal(lines[2], `not checked on ${target}: INV-REJECT-WRITES-NOTHING: the target's database image byte for byte (only its users and conversations before and after a rejected event are compared)`);
      assert.equal(lines.length, 3);
    } finally {
      await app.close();
    }
    const doc = await run(['check', SCENARIO, '--target', 'reference:doc']);
    assert.equal(doc.status, 0);
    assert.equal(doc.stdout, '11 invariants hold on 4 events\n', 'the engine in process is checked in full, its database image included');
  });
});
