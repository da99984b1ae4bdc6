import { strict as assert } from 'node:assert';
import { importUsers, readCsvImport, readJsonImport } from '../../src/admin/import';
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
      { line: 2, externalId: 'u-1', name: 'Olga', emails: [{ address: 'olga@example.com', verified: true }] },
      { line: 3, malformed: 'externalId: expected a string or null' },
      { line: 4, malformed: 'member "name" is given twice' },
      { line: 5, malformed: 'emails[0]: expected { "address": <string>, "verified": <boolean> }' },
      { line: 6, malformed: '"phone" is not a member of an imported user' },
      { line: 7, externalId: null, name: null, emails: [] },
    ]);
    assert.throws(() => readJsonImport('{}'), /array of users/);
    assert.throws(() => readJsonImport('[1,'), /not valid JSON/);
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

  it('refuses a batch label used before, before writing anything', () => {
    importUsers(store, readCsvImport('external_id\nu-7\n'), 'first');
    const before = store.dump();
    assert.throws(() => importUsers(store, readCsvImport('external_id\nu-8\n'), 'first'), /batch "first" was imported into this store already/);
    assert.ok(store.dump().equals(before));
  });
});
