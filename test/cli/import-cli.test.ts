import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store';
import { BIN, ROOT } from '../support/cli-run';
import { assertOneLineError, runCli } from '../support/cli';

/** `idmatrix import`: streaming, JSON Lines of refused rows then a summary, resumable, hostile files. */
describe('idmatrix import (streaming, resumable)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'idmatrix-import-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const contents = (db: string) => {
    const store = Store.open({ path: db, mode: 'read-only' });
    try {
      const log = [...store.loggedResults()].map(({ seq, ref, setting, input, result }) => ({ seq, ref, setting, input, result }));
      return { ...store.snapshot(), log };
    } finally {
      store.close();
    }
  };

  it('two users on one line of a JSON file (a minified export) are both imported (was exit 70)', async () => {
    const file = join(dir, 'o.json');
    writeFileSync(file, '[{"externalId":"a"},{"externalId":"b"}]');
    const run = await runCli(['import', file, '--db', join(dir, 'o.db')]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.deepEqual(lines(run.stdout), [{ batch: 'o', rows: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, rejected: 0 }]);
    assert.deepEqual(contents(join(dir, 'o.db')).users.map((user) => [user.ref, user.externalId]), [['new:o:1:2', 'a'], ['new:o:1:21', 'b']]);
  });

  it('prints each refused row as a line of JSON (line, and column for JSON), then the summary', async () => {
    const csv = await runCli(['import', '-', '--db', join(dir, 'c.db'), '--batch', 'crm'], 'external_id,verified_emails\nu-1,a@x\nu-2,bad\nu-3,a@x\n');
    assert.equal(csv.status, 0, csv.stderr);
    assert.deepEqual(lines(csv.stdout), [
      { line: 3, code: 'email-invalid', message: '"bad" must contain exactly one "@"' },
      { line: 4, code: 'external-id-mismatch', message: 'the addresses belong to a user with external id "u-1"' },
      { batch: 'crm', rows: 3, created: 1, updated: 0, unchanged: 0, skipped: 0, rejected: 2 },
    ]);
    const json = await runCli(['import', '-', '--format', 'json', '--db', join(dir, 'j.db')], '[\n  {"name": 1}, {"emails": [{"address": "x@y", "verified": true, "verified": false}]}\n]');
    assert.deepEqual(lines(json.stdout), [
      { line: 2, column: 3, code: 'row-malformed', message: 'name: expected a string or null' },
      { line: 2, column: 16, code: 'row-malformed', message: 'emails[0]: member "verified" is given twice' },
      { batch: 'stdin', rows: 2, created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 2 },
    ]);
  });

  it('a JSON import nested 3,000 deep, or a value of 2 MiB, is a refused row, not a crash', async () => {
    const deep = `[{"externalId": "ok-1"}, {"name": ${'['.repeat(3000)}${']'.repeat(3000)}}, {"name": "${'x'.repeat(2 * 1024 * 1024)}"}]`;
    const run = await runCli(['import', 'deep.json', '--db', join(dir, 'd.db')], '', { 'deep.json': deep });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(lines(run.stdout).map((line) => line.message ?? line.created), ['name: expected a string or null', 'a value longer than 1 MiB', 1]);
  });

  it('file-level problems are exit 2 in one line naming the line; control characters never reach the terminal raw', async () => {
    const db = join(dir, 's.db');
    assert.match(assertOneLineError(await runCli(['import', 't.json', '--db', db], '', { 't.json': '[{"a":' })), /^t\.json|line 1 column 7: not valid JSON: unexpected end of input$/);
    assert.equal(assertOneLineError(await runCli(['import', 'h.csv', '--db', db], '', { 'h.csv': 'external_id,e\u0000mail\nu-1,x\n' })), 'line 1: unknown column "e\\u0000mail"; the columns are external_id, name, verified_emails, unverified_emails');
    assert.equal(assertOneLineError(await runCli(['import', 'e.csv', '--db', db], '', { 'e.csv': '' })), 'the CSV file is empty; it needs a header row');
    assert.match(assertOneLineError(await runCli(['import', 'x.csv', '--db', db, '--batch', 'a:b'], '', { 'x.csv': 'external_id\n' })), /^error: --batch: the batch label "a:b" contains ":"; see idmatrix import --help$/);
  });

  it('invalid UTF-8 is exit 2 naming its line; the rows before it stay imported, and a re-run after the fix finishes the import', async () => {
    const db = join(dir, 'u.db');
    const good = Array.from({ length: 30 }, (_, i) => `u-${i}`).join('\n');
    const broken = Buffer.concat([Buffer.from(`external_id\n${good}\nbad-`), Buffer.from([0xff]), Buffer.from('\nu-99\n')]);
    const run = await runCli(['import', 'u.csv', '--db', db], '', { 'u.csv': broken });
    assert.equal(assertOneLineError(run), 'u.csv line 32: not valid UTF-8: 0xFF at byte offset 156 (the 30 rows before it were imported: fix the file and import it again, they will be skipped)');
    const fixed = await runCli(['import', 'u.csv', '--db', db], '', { 'u.csv': `external_id\n${good}\nbad-x\nu-99\n` });
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.deepEqual(lines(fixed.stdout), [{ batch: 'u', rows: 32, created: 2, updated: 0, unchanged: 0, skipped: 30, rejected: 0 }]);
  });

  it('progress: a bar redrawn in place on a terminal, a plain line otherwise, nothing with --progress none', async () => {
    const bar = await runCli(['import', '-', '--db', join(dir, 'p.db'), '--progress', 'bar'], 'external_id\nu-1\n');
    assert.match(bar.stderr, /^(?:\r\u001b\[2K[^\r\n]*)*\r\u001b\[2K1 row \(1 created, 0 updated, 0 unchanged, 0 skipped, 0 refused\), 16 B read\n$/);
    const plain = await runCli(['import', 'p.csv', '--db', join(dir, 'q.db'), '--progress', 'lines'], '', { 'p.csv': 'external_id\nu-1\nu-2\n' });
    assert.equal(plain.stderr, 'import p.csv: done, 100% of 20 B, 2 rows (2 created, 0 updated, 0 unchanged, 0 skipped, 0 refused)\n');
    const none = await runCli(['import', '-', '--db', join(dir, 'r.db'), '--progress', 'none'], 'external_id\nu-1\n');
    assert.equal(none.stderr, '');
    const auto = await runCli(['import', '-', '--db', join(dir, 's.db')], 'external_id\nu-1\n');
    assert.equal(auto.stderr, '', 'a short import prints no progress');
  });

  it('an import killed half way and run again ends with the same store as one uninterrupted run (real processes, SIGKILL)', async function () {
    this.timeout(120_000);
    const rows = 20_000;
    const csv = join(dir, 'big.csv');
    writeFileSync(csv, `external_id,name,verified_emails,unverified_emails\n${Array.from({ length: rows }, (_, i) => `u-${i},User ${i},v${i}@example.com,${i % 7 === 0 ? `v${i - 7}@example.com` : `w${i}@example.com`}`).join('\n')}\n`);
    const whole = join(dir, 'whole.db');
    const killed = join(dir, 'killed.db');
    const once = await runCli(['import', csv, '--db', whole, '--batch', 'big']);
    assert.equal(once.status, 0, once.stderr);
    // Started as a real process and killed once some batches are committed.
    const child = spawn(process.execPath, [BIN, 'import', csv, '--db', killed, '--batch', 'big'], { cwd: ROOT, env: { ...process.env, IDMATRIX_SOURCE: '1' } });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(signal === null ? code : -1)));
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      let imported = 0;
      try {
        const store = Store.open({ path: killed, mode: 'read-only' });
        imported = store.counts().users;
        store.close();
      } catch {
        // not created yet
      }
      if (imported >= 2000) break;
    }
    child.kill('SIGKILL');
    assert.equal(await exited, -1, 'the import was killed before it finished');
    const partial = contents(killed).users.length;
    assert.ok(partial > 0 && partial < rows, `killed half way (${partial} of ${rows} users)`);
    const again = await runCli(['import', csv, '--db', killed, '--batch', 'big']);
    assert.equal(again.status, 0, again.stderr);
    const summary = lines(again.stdout).at(-1) as { skipped: number; rejected: number };
    assert.ok(summary.skipped >= partial - 1000 && summary.skipped <= partial, `skipped ${summary.skipped} of ${partial}`);
    assert.deepEqual(contents(killed), contents(whole));
  });
});
