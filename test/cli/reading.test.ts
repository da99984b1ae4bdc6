import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileInput } from '../../src/cli/io';
import { main, type CliIO } from '../../src/cli/main';
import type { ReadingProfile } from '../../src/domain';
import { checkScenario, type InvariantId } from '../../src/invariants';
import { loadScenario } from '../../src/replay/validate';

/**
 * The reading profiles of flows.md ("Other readings of the DISPUTED rules") at the command line:
 * `--reading` on replay, check, count and import; a store keeps its profile; and `check` under each
 * profile over the hand-written examples of the rules the profiles act on: under `seed` it reports
 * INV-VERIFIED-STAYS and nothing else, under `doc` nothing (the property tests do the same on random
 * histories under each profile).
 */

const EXAMPLES = join(__dirname, '..', '..', 'examples');

async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), openInput: openFileInput, stderrIsTTY: false };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

/** The examples of the rules the profiles act on (the sign-ins of the disputed situations, and logins). */
function exampleScenarios(): string[] {
  return readdirSync(EXAMPLES)
    .filter((name) => /^(AUTH-ADOPT|AUTH-CONFLICT|LOGIN-[A-Z]+)$/.test(name))
    .flatMap((dir) => readdirSync(join(EXAMPLES, dir)).filter((file) => /^[^.]+\.json$/.test(file)).map((file) => join(EXAMPLES, dir, file)));
}

describe('reading profiles at the command line (--reading)', () => {
  const adopt = join(EXAMPLES, 'AUTH-ADOPT', 'legacy-verified-profile-gets-external-id.json');

  it('replay --reading seed decides the AUTH-ADOPT situation as the seed article does', async () => {
    const reference = await run(['replay', adopt]);
    const seed = await run(['replay', adopt, '--reading', 'seed']);
    assert.equal(seed.status, 0, seed.stderr);
    assert.deepEqual(JSON.parse(reference.stdout).results[0], { ref: 'c1', outcome: 'joined', rule: 'AUTH-ADOPT', user: 'kim', flags: [] });
    assert.deepEqual(JSON.parse(seed.stdout).results[0], { ref: 'c1', outcome: 'created', rule: 'AUTH-ADOPT', user: 'new:c1', flags: [] });
  });

  it('refuses an unknown reading with exit 2 and nothing on standard output', async () => {
    const { status, stdout, stderr } = await run(['replay', adopt, '--reading', 'SEED']);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /expected one of reference, seed, doc/);
  });

  it("a store written under one reading is opened under it: left out, --reading is the store's own; another is refused (exit 2, one line)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idmatrix-reading-'));
    try {
      const db = join(dir, 'seed.db');
      assert.equal((await run(['replay', adopt, '--reading', 'seed', '--db', db])).status, 0);
      for (const argv of [['count', '--db', db, '--reading', 'seed'], ['count', '--db', db]]) {
        const counted = await run(argv);
        assert.equal(counted.status, 0, counted.stderr);
        assert.deepEqual(JSON.parse(counted.stdout), { usersWithoutVerifiedIdentity: 1, unverifiedIdentities: 0, users: 2 });
      }
      for (const argv of [['count', '--db', db, '--reading', 'reference'], ['stats', '--db', db, '--reading', 'doc'], ['merge', 'kim', 'new:c1', '--db', db, '--reading', 'reference']]) {
        const refused = await run(argv);
        assert.equal(refused.status, 2, argv.join(' '));
        assert.equal(refused.stdout, '');
        assert.match(refused.stderr, /^[^\n]*created under the "seed" reading; it cannot be opened under "(reference|doc)" \(give --reading seed, or leave --reading out\)\n$/);
      }
      const merged = await run(['merge', 'kim', 'new:c1', '--db', db]);
      assert.equal(merged.status, 0, merged.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check --reading seed reports INV-VERIFIED-STAYS, says the reading breaks it on purpose, and exits 1', async () => {
    const { status, stdout } = await run(['check', adopt, '--reading', 'seed']);
    assert.equal(status, 1);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0] as string, /^INV-VERIFIED-STAYS at events\[0\] \(c1\): verified "kim@example\.com" of kim moved to new:c1/);
    assert.equal(lines[1], '(the seed reading breaks INV-VERIFIED-STAYS on purpose: flows.md, "Other readings of the DISPUTED rules")');
    assert.equal(lines.length, 2);
    assert.equal((await run(['check', adopt, '--reading', 'doc'])).status, 0);
  });

  const expected: Record<ReadingProfile, readonly InvariantId[]> = { reference: [], seed: ['INV-VERIFIED-STAYS'], doc: [] };
  for (const profile of ['seed', 'doc'] as const) {
    it(`check under the ${profile} reading, over the examples of AUTH-ADOPT, AUTH-CONFLICT and LOGIN-*, reports ${expected[profile].length === 0 ? 'nothing' : `${expected[profile].join(', ')} and nothing else`}`, async () => {
      const found = new Set<string>();
      for (const file of exampleScenarios()) {
        const { violations } = await checkScenario(loadScenario(readFileSync(file, 'utf8')), { profile });
        for (const violation of violations) found.add(violation.invariant);
      }
      assert.deepEqual([...found].sort(), [...expected[profile]]);
    });
  }
});
