import { strict as assert } from 'node:assert';
import { importRows, importUsers, MAX_ROW_CHARACTERS, readCsvImport, readCsvRows, readJsonImport, readJsonRows } from '../../src/admin/import';
import { InvalidImportError } from '../../src/errors';
import { settingsOf } from '../../src/domain';
import { Store } from '../../src/store/store';

describe('ADMIN-IMPORT: reading import files', () => {
  it('reads CSV rows with the line each record starts on, columns in any order', () => {
    const rows = readCsvImport(
      'name,external_id,verified_emails,unverified_emails\n' +
        'Olga,u-1,olga@example.com,olga.k@example.com old@example.com\n' +
        '\n' +
        '"Kim\nLee",u-2,,\n' +
        'Ann,,,ann@example.com\n',
    );
    assert.deepEqual(rows, [
      {
        line: 2,
        externalId: 'u-1',
        name: 'Olga',
        emails: [
          { address: 'olga@example.com', verified: true },
          { address: 'olga.k@example.com', verified: false },
          { address: 'old@example.com', verified: false },
        ],
      },
      { line: 4, externalId: 'u-2', name: 'Kim\nLee', emails: [] },
      { line: 6, externalId: null, name: 'Ann', emails: [{ address: 'ann@example.com', verified: false }] },
    ]);
  });

  it('refuses a row with the wrong number of fields by its line, and a file with an unknown or repeated column whole', () => {
    assert.deepEqual(readCsvImport('external_id,name\nu-1\nu-2,Kim\n'), [
      { line: 2, malformed: 'expected 2 fields, found 1' },
      { line: 3, externalId: 'u-2', name: 'Kim', emails: [] },
    ]);
    assert.throws(() => readCsvImport('external_id,email\n'), (e: unknown) => e instanceof InvalidImportError && /unknown column "email"/.test(e.message));
    assert.throws(() => readCsvImport('name,name\n'), /column "name" is given twice/);
    assert.throws(() => readCsvImport(''), /empty/);
  });

  it('reads JSON rows with their line, and refuses a row of the wrong shape by its line', () => {
    const rows = readJsonImport(
      '[\n  { "externalId": "u-1", "name": "Olga", "emails": [{ "address": "olga@example.com", "verified": true }] },\n' +
        '  { "externalId": 7 },\n  { "name": "Kim", "name": "Kim" },\n  { "emails": [{ "address": "x@y" }] },\n  { "phone": "1" },\n  {}\n]',
    );
    assert.deepEqual(rows, [
      { line: 2, column: 3, externalId: 'u-1', name: 'Olga', emails: [{ address: 'olga@example.com', verified: true }] },
      { line: 3, column: 3, malformed: 'externalId: expected a string or null' },
      { line: 4, column: 3, malformed: 'member "name" is given twice' },
      { line: 5, column: 3, malformed: 'emails[0]: expected { "address": <string>, "verified": <boolean> }' },
      { line: 6, column: 3, malformed: '"phone" is not a member of an imported user' },
      { line: 7, column: 3, externalId: null, name: null, emails: [] },
    ]);
    assert.throws(() => readJsonImport('{}'), /array of users/);
    assert.throws(() => readJsonImport('[1,'), /^InvalidImportError: line 1 column 4: not valid JSON: unexpected end of input$/);
    assert.throws(() => readJsonImport('[{"a":'), /line 1 column 7: not valid JSON: unexpected end of input/);
  });

  it('reads several users on one line, each with its column (a minified export)', () => {
    assert.deepEqual(readJsonImport('[{"externalId":"a"},{"externalId":"b"}, 7]'), [
      { line: 1, column: 2, externalId: 'a', name: null, emails: [] },
      { line: 1, column: 21, externalId: 'b', name: null, emails: [] },
      { line: 1, column: 41, malformed: 'a user is a JSON object' },
    ]);
  });

  it('refuses a member given twice inside an email entry, instead of taking the last value', () => {
    assert.deepEqual(readJsonImport('[{"emails":[{"address":"a@b","verified":false,"verified":true}]}]'), [
      { line: 1, column: 2, malformed: 'emails[0]: member "verified" is given twice' },
    ]);
  });

  it('reads a user nested thousands deep without recursion, and refuses it by its place', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.deepEqual(readJsonImport(`[\n {"name": ${deep}},\n {"externalId": "x"}\n]`), [
      { line: 2, column: 2, malformed: 'name: expected a string or null' },
      { line: 3, column: 2, externalId: 'x', name: null, emails: [] },
    ]);
    assert.deepEqual(readJsonImport(`[${'['.repeat(3000)}${']'.repeat(3000)}]`), [{ line: 1, column: 2, malformed: 'a user is a JSON object' }]);
  });

  it('refuses a user longer than 1 MiB without keeping it', () => {
    const long = 'x'.repeat(MAX_ROW_CHARACTERS + 1);
    const text = `[{"name": "${long}"}, {"emails": [${'"a",'.repeat(300_000)}"b"]}, {}]`;
    assert.deepEqual(readJsonImport(text), [
      { line: 1, column: 2, malformed: 'a value longer than 1 MiB' },
      { line: 1, column: text.indexOf('{"emails"') + 1, malformed: 'a user longer than 1 MiB' },
      { line: 1, column: text.lastIndexOf('{}') + 1, externalId: null, name: null, emails: [] },
    ]);
  });
});

describe('ADMIN-IMPORT: applying rows', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open({ settings: settingsOf('verified-and-unverified') });
    store.transaction(() => {
      store.insertUser({ ref: 'olga', name: 'Olga', emails: [{ address: 'Olga@Example.com', verified: false }] });
      store.insertUser({ ref: 'kim', name: 'Kim', externalId: 'u-2', emails: [{ address: 'kim@example.com', verified: true }] });
    });
  });
  afterEach(() => store.close());

  it('completes, creates and refuses row by row; a refused row writes nothing', () => {
    const rows = readCsvImport(
      'external_id,name,verified_emails,unverified_emails\n' +
        'u-1,Olga K,olga@example.com,\n' + //  found by address: gets the external id, verified, renamed
        'u-2,,,kim@example.com\n' + //         Kim: verified stays verified, nothing changes
        'u-2,,ann@example.com olga@example.com,\n' + // Kim's row, but olga@ is Olga's: refused whole (ann@ not written)
        'u-4,Lee,lee@example.com LEE@example.com,\n' + // the same address twice
        'u-5,Bo,bo@@example.com,\n' + //       unusable
        ',Cy,,cy@example.com\n', //            created without external id
    );
    const before = store.snapshot();
    const report = importUsers(store, rows, 'migration');
    assert.deepEqual(
      report.rows.map((row) => [row.line, row.outcome, row.user, row.error?.code ?? null]),
      [
        [2, 'updated', 'olga', null],
        [3, 'unchanged', 'kim', null],
        [4, 'rejected', null, 'email-held-elsewhere'],
        [5, 'rejected', null, 'email-repeated'],
        [6, 'rejected', null, 'email-invalid'],
        [7, 'created', 'new:migration:7', null],
      ],
    );
    assert.deepEqual([report.created, report.updated, report.unchanged, report.rejected], [1, 1, 1, 3]);
    const users = store.snapshot().users;
    assert.deepEqual(users[0], { ref: 'olga', externalId: 'u-1', name: 'Olga K', emails: [{ address: 'Olga@Example.com', verified: true }], conversations: [] });
    assert.deepEqual(users[1], before.users[1]);
    assert.equal(store.identityByNormalised('ann@example.com'), undefined);
    assert.equal(users.length, 3);
  });

  it('refuses addresses of two users, and addresses of a user with another external id', () => {
    const report = importUsers(
      store,
      readCsvImport('external_id,unverified_emails\n,olga@example.com kim@example.com\nu-9,kim@example.com\n'),
      'b',
    );
    assert.deepEqual(report.rows.map((row) => row.error?.code), ['emails-of-several-users', 'external-id-mismatch']);
  });

  it('a batch run again skips the rows it imported, and refuses a row that says something else at the same place', () => {
    const first = importUsers(store, readCsvImport('external_id,name\nu-7,Ann\nu-8,Bo\n'), 'first');
    assert.deepEqual([first.created, first.skipped], [2, 0]);
    const before = store.dump();
    const again = importUsers(store, readCsvImport('external_id,name\nu-7,Ann\nu-8,Bo\n'), 'first');
    assert.deepEqual(again.rows.map((row) => [row.line, row.outcome, row.user]), [[2, 'skipped', 'new:first:2'], [3, 'skipped', 'new:first:3']]);
    assert.ok(store.dump().equals(before), 'a re-run writes nothing');
    const changed = importUsers(store, readCsvImport('external_id,name\nu-7,Ann\nu-9,Cy\nu-10,Di\n'), 'first');
    assert.deepEqual(changed.rows.map((row) => [row.line, row.outcome, row.error?.code ?? null]), [[2, 'skipped', null], [3, 'rejected', 'row-changed'], [4, 'created', null]]);
    assert.match(changed.rows[1]?.error?.message ?? '', /an earlier import of batch "first" logged another row at this place \("first:3"\); give another --batch/);
  });

  it('refuses a batch label with ":" (rows are logged as <batch>:<line>[:<column>], which must not collide)', () => {
    assert.throws(() => importUsers(store, readCsvImport('external_id\nu-7\n'), 'a:2'), /contains ":"/);
    assert.throws(() => importUsers(store, readCsvImport('external_id\nu-7\n'), ''), /empty/);
  });

  it('two users on one line of a JSON file are two rows with refs of their own', () => {
    const report = importUsers(store, readJsonImport('[{"externalId":"a"},{"externalId":"b"}]'), 'min');
    assert.deepEqual(report.rows.map((row) => [row.line, row.column, row.outcome, row.user]), [[1, 2, 'created', 'new:min:1:2'], [1, 21, 'created', 'new:min:1:21']]);
  });

  it('messages quote what they name, invisible and control characters escaped', () => {
    const report = importUsers(store, readCsvImport('external_id,verified_emails,unverified_emails\nu-1,"a\u0000b@x",\nu-2,c@x,C@x\nu-3,,olga@example.com\n'), 'q');
    assert.deepEqual(report.rows.map((row) => row.error?.message), [
      '"a\\u0000b@x" contains a space, control or format character',
      '"C@x" is listed twice',
      undefined,
    ]);
    const held = importUsers(store, readCsvImport('external_id,unverified_emails\n,"olga@example.com kim@example.com"\n'), 'r');
    assert.equal(held.rows[0]?.error?.message, 'the addresses of this row belong to different users');
  });
});

describe('ADMIN-IMPORT: streaming, committed in batches', () => {
  let store: Store;
  beforeEach(() => (store = Store.open({ settings: settingsOf('verified-only') })));
  afterEach(() => store.close());

  async function* chunked(text: string, size: number): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }

  it('reads CSV and JSON from chunks of any size, the same rows as the whole text', async () => {
    const csv = 'external_id,name,verified_emails\r\nu-1,"Kim\r\nLee",kim@x\r\n\r\nu-2,,\r\nu-3,"unclosed\r\n';
    const json = '[\n{"externalId":"u-1"},{"name":"Z\\u00e9"},\n  [1], {"emails":[{"address":"a@b","verified":true}]}\n]';
    for (const size of [1, 2, 7, 64, 100_000]) {
      const csvRows = [];
      for await (const row of readCsvRows(chunked(csv, size))) csvRows.push(row);
      assert.deepEqual(csvRows, [
        { line: 2, externalId: 'u-1', name: 'Kim\r\nLee', emails: [{ address: 'kim@x', verified: true }] },
        { line: 5, externalId: 'u-2', name: null, emails: [] },
        { line: 6, malformed: 'not a readable CSV record: Quote Not Closed: the parsing is finished with an opening quote' },
      ], `CSV in chunks of ${size}`);
      const jsonRows = [];
      for await (const row of readJsonRows(chunked(json, size))) jsonRows.push(row);
      assert.deepEqual(jsonRows, readJsonImport(json), `JSON in chunks of ${size}`);
    }
  });

  it('commits every N rows, reports refused rows as they commit, and keeps what was committed when the file turns out unreadable', async () => {
    const commits: number[] = [];
    const refused: number[] = [];
    const text = `external_id\n${Array.from({ length: 25 }, (_, i) => (i === 7 ? '' : `u-${i}`)).join('\n')}\n`;
    const counts = await importRows(store, readCsvRows(chunked(text, 10)), {
      batch: 'b',
      rowsPerCommit: 10,
      onCommit: (so) => commits.push(so.rows),
      onRefused: (row) => refused.push(row.line),
    });
    assert.deepEqual(commits, [10, 20, 24]);
    assert.deepEqual(counts, { batch: 'b', rows: 24, created: 24, updated: 0, unchanged: 0, skipped: 0, rejected: 0 });
    async function* broken(): AsyncGenerator<string> {
      yield '[{"externalId":"j-1"},{"externalId":"j-2"},';
      throw new Error('the disk went away');
    }
    await assert.rejects(importRows(store, readJsonRows(broken()), { batch: 'j', rowsPerCommit: 10 }), /the disk went away/);
    assert.equal(store.userByExternalId('j-2')?.ref, `new:j:1:${'[{"externalId":"j-1"},'.length + 1}`, 'the rows read before the error are committed');
    assert.deepEqual(refused, []);
  });
});
