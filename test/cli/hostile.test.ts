import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { settingsOf } from '../../src/domain';
import { SCHEMA_VERSION } from '../../src/store/schema';
import { Store } from '../../src/store/store';
import { example } from '../fixtures/replay-example';
import { ROOT, runCli, spawnCliWithEndlessInput, type Run } from '../support/cli-run';

/**
 * The CLI tried as a hostile user would: every failure a user can cause is exit 2 with one line on
 * standard error (what, where, what to do) and nothing on standard output, never a stack trace, never
 * exit 70; and a refused command leaves the files it was given as they were.
 */
function assertRefused(run: Run, message: RegExp): void {
  assert.equal(run.status, 2, `exit status (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^[^\n]*\n$/, `exactly one line: ${JSON.stringify(run.stderr)}`);
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
  assert.match(run.stderr, message);
}

const CHILD = join(ROOT, 'test', 'support', 'store-child.ts');

function child(args: string[]) {
  return spawn(process.execPath, ['-r', 'ts-node/register', CHILD, ...args], { cwd: ROOT });
}

function holdLock(store: string, ms: number) {
  return spawn(process.execPath, [join(ROOT, 'test', 'support', 'hold-lock.js'), store, String(ms)], { cwd: ROOT });
}

describe('idmatrix against hostile input and environments', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'idmatrix-hostile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const scenarioText = JSON.stringify(example());

  describe('input files', () => {
    it('an import file that is missing or a directory is exit 2 in one line', async () => {
      assertRefused(await runCli(['import', join(dir, 'missing.csv'), '--db', join(dir, 's.db')]), /^cannot read .*missing\.csv: no such file or directory \(ENOENT\)$/m);
      assertRefused(await runCli(['import', dir, '--db', join(dir, 's.db')]), /^cannot read .*: it is a directory$/m);
      assert.deepEqual(readdirSync(dir), [], 'no store was created');
    });

    it('a scenario that is a directory is exit 2 naming it', async () => {
      assertRefused(await runCli(['replay', dir]), /^\$: cannot read .*: it is a directory$/m);
    });

    it('invalid UTF-8 in a scenario is exit 2 naming the byte offset and line, never replaced', async () => {
      const bytes = Buffer.concat([Buffer.from('{\n  "title": "caf'), Buffer.from([0xe9]), Buffer.from('",\n  "events": []\n}')]);
      const run = await runCli(['replay', 'bad.json'], '', { 'bad.json': bytes });
      assertRefused(run, /^\$: bad\.json is not valid UTF-8: 0xE9 0x22 at byte offset 17 \(line 2\)$/m);
      const surrogate = Buffer.concat([Buffer.from('{"title": "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
      assertRefused(await runCli(['check', '-'], surrogate), /^\$: standard input is not valid UTF-8: 0xED 0xA0 at byte offset 11 \(line 1\)$/m);
      const cut = Buffer.concat([Buffer.from('{"title": "'), Buffer.from([0xe2, 0x82])]);
      assertRefused(await runCli(['replay', '-'], cut), /^\$: standard input is not valid UTF-8: 0xE2 0x82 \(a character cut short by the end of input\) at byte offset 11/m);
    });

    it('a scenario larger than --max-input-size is refused while reading', async () => {
      const big = `${scenarioText.slice(0, -1)}, "description": "${'x'.repeat(2048)}"}`;
      assertRefused(await runCli(['replay', 'big.json', '--max-input-size', '1K'], '', { 'big.json': big }), /^\$: big\.json is larger than 1 KiB, the most a scenario may take; --max-input-size raises it$/m);
      assertRefused(await runCli(['replay', '-', '--max-input-size', '1K'], big), /standard input is larger than 1 KiB/);
      const fits = await runCli(['replay', '-', '--max-input-size', '64K'], big);
      assert.equal(fits.status, 0, fits.stderr);
      assertRefused(await runCli(['replay', '-', '--max-input-size', 'lots'], big), /expected a size such as 1048576, 64K, 32M or 1G/);
    });

    it('replay /dev/zero is refused at the size limit, while reading', async () => {
      const before = process.memoryUsage().rss;
      assertRefused(await runCli(['replay', '/dev/zero', '--max-input-size', '8M']), /^\$: \/dev\/zero is larger than 8 MiB, the most a scenario may take; --max-input-size raises it$/m);
      assertRefused(await runCli(['check', '/dev/zero']), /^\$: \/dev\/zero is larger than 32 MiB/m);
      assert.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024, 'bounded memory');
    });

    it('an endless replay - pipe is refused at the size limit (a real process and pipe)', async function () {
      this.timeout(60_000);
      const run = await spawnCliWithEndlessInput(['replay', '-', '--max-input-size', '2M'], Buffer.alloc(65536, 0x20));
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stderr, '$: standard input is larger than 2 MiB, the most a scenario may take; --max-input-size raises it\n');
    });
  });

  describe('--db paths that are not stores', () => {
    it('a text file, an empty file, a directory, a missing file: refused in one line, the file left as it was', async () => {
      const text = join(dir, 'notes.txt');
      writeFileSync(text, 'not a database\n');
      const empty = join(dir, 'empty.db');
      writeFileSync(empty, '');
      for (const argv of [['count', '--db', text], ['import', '-', '--db', text], ['count', '--db', empty], ['import', '-', '--db', empty]]) {
        const run = await runCli(argv, 'external_id\nu-1\n');
        assertRefused(run, argv.includes(text) ? /notes\.txt is not an idmatrix store \(not a SQLite database\)$/m : /empty\.db is an empty file, not an idmatrix store; remove it or name another file$/m);
      }
      assert.equal(readFileSync(text, 'utf8'), 'not a database\n');
      assert.equal(statSync(empty).size, 0, 'count --db on an empty file does not rewrite it');
      assertRefused(await runCli(['count', '--db', dir]), /is a directory, not a store file$/m);
      assertRefused(await runCli(['count', '--db', join(dir, 'missing.db')]), /^no store at .*missing\.db \(no such file\)$/m);
      assert.deepEqual(readdirSync(dir).sort(), ['empty.db', 'notes.txt']);
    });

    it("--db '' and --db ':memory:' are refused instead of writing nothing", async () => {
      assertRefused(await runCli(['replay', '-', '--db', ''], scenarioText), /^the store path is empty; name a file$/m);
      assertRefused(await runCli(['replay', '-', '--db', ':memory:'], scenarioText), /^:memory: is not a file name to SQLite; write \.\/:memory: for a file of that name$/m);
      assertRefused(await runCli(['count', '--db', ':memory:']), /not a file name to SQLite/);
      assertRefused(await runCli(['import', '-', '--db', ''], 'external_id\n'), /store path is empty/);
    });

    it('--db in a directory that does not exist is refused naming the directory', async () => {
      assertRefused(await runCli(['replay', '-', '--db', join(dir, 'no', 'such', 's.db')], scenarioText), /^cannot create .*s\.db: the directory .*no\/such does not exist$/m);
    });

    it('a SQLite database of another program, an older or a newer schema: refused in one line', async () => {
      const other = join(dir, 'other.db');
      new Database(other).exec('CREATE TABLE t (x)');
      assertRefused(await runCli(['count', '--db', other]), /other\.db is a SQLite database, but not an idmatrix store$/m);
      const store = join(dir, 'store.db');
      assert.equal((await runCli(['replay', '-', '--db', store], scenarioText)).status, 0);
      const newer = new Database(store);
      newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      newer.close();
      assertRefused(await runCli(['count', '--db', store]), new RegExp(`store\\.db is an idmatrix store of schema version ${SCHEMA_VERSION + 1}, made by a newer idmatrix; this build reads ${SCHEMA_VERSION}$`, 'm'));
      assertRefused(await runCli(['import', '-', '--db', store], 'external_id\nu-1\n'), /made by a newer idmatrix/);
    });

    it('replay --db on an existing file that is not a store is refused, the file left as it was', async () => {
      const text = join(dir, 'notes.db');
      writeFileSync(text, 'SQLite format 3 or so\n');
      assertRefused(await runCli(['replay', '-', '--db', text], scenarioText), /notes\.db is not an idmatrix store \(not a SQLite database\)$/m);
      assert.equal(readFileSync(text, 'utf8'), 'SQLite format 3 or so\n');
    });

    it('count --db opens the store read-only: the store file is left exactly as it was', async () => {
      const store = join(dir, 'store.db');
      assert.equal((await runCli(['replay', '-', '--db', store], scenarioText)).status, 0);
      assert.deepEqual(readdirSync(dir), ['store.db'], 'a store at rest is one file');
      assert.equal(readFileSync(store)[18], 2, 'a store is in WAL mode from its creation on');
      const before = readFileSync(store);
      const mtime = statSync(store).mtimeMs;
      const run = await runCli(['count', '--db', store]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { usersWithoutVerifiedIdentity: 1, unverifiedIdentities: 0, users: 2 });
      assert.ok(readFileSync(store).equals(before));
      assert.equal(statSync(store).mtimeMs, mtime);
      const opened = Store.open({ path: store, mode: 'read-only' });
      try {
        assert.throws(() => opened.db.prepare('UPDATE settings SET claim_verified = 0').run(), /readonly/i);
      } finally {
        opened.close();
      }
    });

    it('count --db reads a store on a read-only mount; import there is refused in one line (needs root and mount)', async function () {
      const mount = join(dir, 'mnt');
      const source = join(dir, 'src');
      mkdirSync(mount);
      mkdirSync(source);
      assert.equal((await runCli(['replay', '-', '--db', join(source, 'store.db')], scenarioText)).status, 0);
      const bind = spawnSync('mount', ['--bind', source, mount]);
      if (bind.status !== 0) this.skip();
      try {
        if (spawnSync('mount', ['-o', 'remount,bind,ro', mount]).status !== 0) this.skip();
        const store = join(mount, 'store.db');
        const run = await runCli(['count', '--db', store]);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), { usersWithoutVerifiedIdentity: 1, unverifiedIdentities: 0, users: 2 });
        assertRefused(await runCli(['import', '-', '--db', store], 'external_id\nu-1\n'), /^cannot open .*store\.db for writing: read-only file system \(EROFS\)$/m);
        assertRefused(await runCli(['replay', '-', '--db', join(mount, 'new.db')], scenarioText), /^cannot create .*new\.db in .*: read-only file system \(EROFS\)$/m);
      } finally {
        spawnSync('umount', [mount]);
      }
      assert.deepEqual(readdirSync(source), ['store.db']);
    });
  });

  describe('other processes on the same store', () => {
    it('a writer waits for another process that holds the lock, then writes (no "database is locked" at once)', async function () {
      this.timeout(60_000);
      const store = join(dir, 'store.db');
      Store.open({ path: store, mode: 'create', settings: settingsOf('verified-only') }).close();
      const holder = holdLock(store, 800);
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const run = await runCli(['import', '-', '--db', store], 'external_id\nu-1\n');
      assert.equal(run.status, 0, run.stderr);
      await new Promise((resolve) => holder.once('close', resolve));
      const opened = Store.open({ path: store, mode: 'read-only' });
      try {
        assert.equal(opened.userByExternalId('u-1')?.ref, 'new:stdin:2');
        assert.deepEqual(opened.settings(), settingsOf('claim-verified'), "the other process's write is there too");
      } finally {
        opened.close();
      }
    });

    it('a writer that waits past --busy-timeout gives up in one line, having written nothing', async function () {
      this.timeout(60_000);
      const store = join(dir, 'store.db');
      Store.open({ path: store, mode: 'create', settings: settingsOf('verified-only') }).close();
      const holder = holdLock(store, 3000);
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const run = await runCli(['import', '-', '--db', store, '--busy-timeout', '300'], 'external_id\nu-1\n');
      holder.kill();
      assertRefused(run, /store\.db: another process keeps it locked \(SQLITE_BUSY\); try again when it is done$/m);
    });

    it('processes racing to create one new store: exactly one creates it, the others are told it exists', async function () {
      this.timeout(120_000);
      const startAt = Date.now() + 3000;
      const paths = 10;
      const runs = await Promise.all(
        [0, 1, 2, 3].map(
          () =>
            new Promise<string>((resolve) => {
              const racer = child(['create', dir, String(paths), String(startAt)]);
              let out = '';
              racer.stdout.on('data', (data: Buffer) => (out += data.toString()));
              racer.stderr.on('data', (data: Buffer) => (out += data.toString()));
              racer.on('close', () => resolve(out));
            }),
        ),
      );
      const outcomes = runs.map((out) => out.trim().split('\n').map((line) => JSON.parse(line) as { i: number; outcome: string }));
      for (let i = 0; i < paths; i++) {
        const of = outcomes.map((lines) => lines.find((line) => line.i === i)?.outcome);
        assert.equal(of.filter((outcome) => outcome === 'created').length, 1, `s${i}.db: ${JSON.stringify(of)}`);
        assert.equal(of.filter((outcome) => outcome === 'exists').length, 3, `s${i}.db: ${JSON.stringify(of)}`);
        const store = Store.open({ path: join(dir, `s${i}.db`), mode: 'read-only' });
        assert.deepEqual(store.counts(), { usersWithoutVerifiedIdentity: 0, unverifiedIdentities: 0, users: 0 });
        store.close();
      }
      assert.deepEqual(readdirSync(dir).filter((name) => !/^s\d+\.db(?:-wal|-shm)?$/.test(name)), [], 'no temporary file is left behind');
    });
  });
});
