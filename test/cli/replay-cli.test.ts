import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openFileInput } from '../../src/cli/io';
import { main, type CliIO } from '../../src/cli/main';
import { example, exampleResult, MALFORMED_CASES } from '../fixtures/replay-example';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process; `stdin` is what `-` reads, `files` what other paths read. */
async function run(argv: string[], stdin = '', files: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    openInput: (path) => {
      if (path === '-') return { name: 'standard input', stream: Readable.from([Buffer.from(stdin)]) };
      if (path in files) return { name: path, stream: Readable.from([Buffer.from(files[path] as string)]) };
      return openFileInput(path);
    },
    stderrIsTTY: false,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

function withoutMessages(result: { results: { error?: { message?: string } }[] }): unknown {
  for (const entry of result.results) {
    if (entry.error) {
      assert.equal(typeof entry.error.message, 'string');
      assert.ok((entry.error.message ?? '').length > 0);
      delete entry.error.message;
    }
  }
  return result;
}

describe('idmatrix replay (replay.md, command)', () => {
  it('prints the result of the replay.md example and exits 0, a rejection included', async () => {
    const { status, stdout, stderr } = await run(['replay', '-'], JSON.stringify(example()));
    assert.equal(stderr, '');
    assert.equal(status, 0);
    assert.deepEqual(withoutMessages(JSON.parse(stdout)), withoutMessages(exampleResult() as never));
  });

  describe('a malformed file exits 2 with one line naming the JSON path, and prints nothing on standard output', () => {
    for (const c of MALFORMED_CASES) {
      it(`${c.name} → ${c.path}`, async () => {
        const text = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
        const { status, stdout, stderr } = await run(['replay', 'scenario.json'], '', { 'scenario.json': text });
        assert.equal(status, 2);
        assert.equal(stdout, '');
        assert.match(stderr, /^[^\n]*\n$/, 'exactly one line');
        assert.ok(stderr.startsWith(`${c.path}: `), stderr);
        assert.ok(stderr.includes(c.message), stderr);
      });
    }
  });

  it('a file that cannot be read exits 2 naming the file', async () => {
    const { status, stdout, stderr } = await run(['replay', '/nonexistent/scenario.json']);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, '$: cannot read /nonexistent/scenario.json: no such file or directory (ENOENT)\n');
  });

  it('--db keeps the store in a new SQLite file; an existing one gets the events appended, refused here because the file has users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idmatrix-'));
    try {
      const db = join(dir, 'store.sqlite');
      const first = await run(['replay', '-', '--db', db], JSON.stringify(example()));
      assert.equal(first.status, 0, first.stderr);
      const counts = await run(['count', '--db', db]);
      assert.equal(counts.status, 0, counts.stderr);
      assert.deepEqual(JSON.parse(counts.stdout), { usersWithoutVerifiedIdentity: 1, unverifiedIdentities: 0, users: 2 });
      const missing = await run(['count', '--db', join(dir, 'missing.sqlite')]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /no store at/);
      const second = await run(['replay', '-', '--db', db], JSON.stringify(example()));
      assert.equal(second.status, 2);
      assert.match(second.stderr, /^users: a file appended to a store gives no starting users/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('idmatrix (the command line)', () => {
  for (const command of [[], ['replay'], ['import'], ['count'], ['what-if'], ['check'], ['coverage']]) {
    it(`--help on ${command.length ? command[0] : 'the program'} prints usage and exits 0`, async () => {
      const { status, stdout } = await run([...command, '--help']);
      assert.equal(status, 0);
      assert.match(stdout, /^Usage: idmatrix/);
    });
  }

  it('an unknown command or a missing argument exits 2 with a message', async () => {
    const unknown = await run(['replya', 'x.json']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'replya'/);
    const missing = await run(['replay']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing required argument 'file'/);
  });

  it('check replays a scenario and reports that every invariant holds (its failures are proved by npm run mutation)', async () => {
    const { status, stdout, stderr } = await run(['check', '-'], JSON.stringify(example()));
    assert.equal(stderr, '');
    assert.equal(status, 0);
    assert.equal(stdout, '11 invariants hold on 3 events\n');
  });

  it('check on a malformed file exits 2 like replay', async () => {
    const { status, stdout, stderr } = await run(['check', '-'], '{}');
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'events: is required\n');
  });

  it('coverage passes on this project', async () => {
    const passed = await run(['coverage']);
    assert.equal(passed.status, 0, passed.stderr);
    assert.match(passed.stdout, /Coverage gate passed/);
  });

  it('what-if refuses an unknown setting id', async () => {
    const { status, stderr } = await run(['what-if', '-', '--setting', 'everything'], JSON.stringify(example()));
    assert.equal(status, 2);
    assert.match(stderr, /expected one of verified-only, verified-and-unverified, claim-verified/);
  });

  it('what-if says, per conversation, where it would have gone under another setting', async () => {
    const { status, stdout, stderr } = await run(['what-if', '-', '--setting', 'verified-only'], JSON.stringify(example()));
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.recordedSettings, { 'verified-and-unverified': 3 });
    assert.equal(report.whatIf, 'verified-only');
    // Under verified-only, Olga's visit no longer joins her unverified profile: it gets a user of its own.
    assert.deepEqual(report.changes, [
      {
        ref: 'c1',
        type: 'visitor',
        class: 'new-user-instead-of-existing',
        recorded: { outcome: 'joined', rule: 'VISIT-JOIN-UNVERIFIED', user: 'olga' },
        whatIf: { outcome: 'created', rule: 'VISIT-STRICT', user: 'new:c1' },
      },
    ]);
    assert.deepEqual(report.conversations, { total: 3, goingElsewhere: 1, classes: { 'same-user': 1, 'new-user-instead-of-existing': 1, 'refused-under-both': 1 } });
  });

  it('runs as a real process: npm run -s replay on a malformed file exits 2 with one line', function () {
    this.timeout(30000);
    const dir = mkdtempSync(join(tmpdir(), 'idmatrix-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ ...example(), events: [{ ref: 'c1', type: 'login', conversation: 7 }] }));
      const child = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'idmatrix.js'), 'replay', file], { encoding: 'utf8' });
      assert.equal(child.status, 2, child.stderr);
      assert.equal(child.stdout, '');
      assert.equal(child.stderr, 'events[0].conversation: expected string\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
