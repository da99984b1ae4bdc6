import { strict as assert } from 'node:assert';
import { type DataTable, Then, When } from '@cucumber/cucumber';
import { GOING_ELSEWHERE } from '../src/admin/what-if';
import { settingsOf, type SettingId } from '../src/domain';
import { outcome } from './support/outcome';
import type { ConversationRef } from './support/parameters';
import { decodeEscapes } from './support/text';
import type { IdmatrixWorld, ImportRow } from './support/world';

/** What an agent or the account's admin does: merges, setting changes, imports, counts, what-if reports. */

When('an agent merges/merged {person} into {person}', function (this: IdmatrixWorld, from: string, into: string) {
  this.addMerge(from, into);
});

When('the admin switches/switched to the {string} setting', function (this: IdmatrixWorld, setting: string) {
  this.addSettingsChange(settingsOf(setting as SettingId));
});

/** The one invalid combination of `flows.md`: claiming verified emails exists only with "both". */
When('the admin turns/turned on claiming of verified emails while using only verified emails', function (this: IdmatrixWorld) {
  this.addSettingsChange({ emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: true });
});

/** Columns: customer (a person's name, also the imported name), external id, verified emails, unverified emails (space-separated). */
When('the admin imports/imported these users:', function (this: IdmatrixWorld, table: DataTable) {
  const rows: ImportRow[] = table.hashes().map((row) => {
    const unknown = Object.keys(row).filter((column) => !['customer', 'external id', 'verified emails', 'unverified emails'].includes(column));
    if (unknown.length > 0) throw new Error(`unknown import column(s): ${unknown.join(', ')}`);
    const list = (cell: string | undefined) => (cell ?? '').split(' ').filter((address) => address !== '').map(decodeEscapes);
    if (row.customer === undefined || row.customer === '') throw new Error('every import row names its customer');
    return {
      person: row.customer,
      externalId: row['external id'] ? row['external id'] : null,
      verified: list(row['verified emails']),
      unverified: list(row['unverified emails']),
    };
  });
  this.addImport(rows);
});

When('the admin asks what would have happened under the {string} setting', function (this: IdmatrixWorld, setting: string) {
  this.whatIfSetting = setting;
});

Then(
  'the account counts {int} user(s) without a verified email identity and {int} unverified email identity/identities',
  outcome(async function (users: number, identities: number) {
    const counts = await this.counts();
    assert.deepEqual(
      { usersWithoutVerified: counts.usersWithoutVerifiedIdentity, unverifiedIdentities: counts.unverifiedIdentities },
      { usersWithoutVerified: users, unverifiedIdentities: identities },
      'the account counts differently',
    );
  }),
);

Then(
  'the report lists only {conversation} as going elsewhere',
  outcome(async function (conversation: ConversationRef) {
    if (this.whatIfSetting === null) throw new Error('ask for the what-if report first');
    const report = await this.whatIf(this.whatIfSetting);
    const ref = this.conversationRef(conversation);
    const elsewhere = report.changes.filter((change) => GOING_ELSEWHERE.includes(change.class));
    assert.deepEqual(
      elsewhere.map((change) => change.ref),
      [ref],
      `the what-if report under ${this.whatIfSetting} lists ${JSON.stringify(elsewhere)} as going elsewhere`,
    );
  }),
);

Then(
  'the report lists no conversation as going elsewhere',
  outcome(async function () {
    if (this.whatIfSetting === null) throw new Error('ask for the what-if report first');
    const report = await this.whatIf(this.whatIfSetting);
    const elsewhere = report.changes.filter((change) => GOING_ELSEWHERE.includes(change.class));
    assert.deepEqual(elsewhere, [], `the what-if report under ${this.whatIfSetting} lists conversations as going elsewhere`);
  }),
);

Then(
  'the report lists {conversation} as landing the same way by another rule',
  outcome(async function (conversation: ConversationRef) {
    if (this.whatIfSetting === null) throw new Error('ask for the what-if report first');
    const report = await this.whatIf(this.whatIfSetting);
    const ref = this.conversationRef(conversation);
    const change = report.changes.find((candidate) => candidate.ref === ref);
    assert.equal(change?.class, 'same-landing-another-rule', `the what-if report under ${this.whatIfSetting} lists ${JSON.stringify(change)} for it`);
  }),
);

Then(
  'line {int} of the import is refused because {importRefusal}',
  outcome(function (line: number, code: string) {
    const row = this.importRow(line);
    this.statedRefusals.add(line);
    assert.equal(row.outcome, 'rejected', `line ${line} of the import was not refused: ${JSON.stringify(row)}`);
    assert.equal(row.error?.code, code, `line ${line} was refused for another reason: ${row.error?.message}`);
  }),
);

Then(
  'the other lines of the import are accepted',
  outcome(function () {
    const report = this.done.imports.at(-1);
    assert.ok(report, 'nothing was imported');
    const others = report.rows.filter((row) => !this.statedRefusals.has(row.line));
    assert.ok(others.length > 0, 'the import has no other lines');
    const refused = others.filter((row) => row.outcome === 'rejected');
    assert.deepEqual(refused, [], 'the import refused other lines too');
  }),
);

Then(
  'line {int} of the import completes {person}',
  outcome(function (line: number, name: string) {
    const row = this.importRow(line);
    assert.equal(row.outcome, 'updated', `line ${line} of the import: ${JSON.stringify(row)}`);
    assert.equal(row.user, this.userRefOf(name), `line ${line} completed another user`);
  }),
);

Then(
  'the merge is refused',
  outcome(function () {
    const result = this.resultOf(this.lastEvent('merge').ref);
    assert.equal(result.outcome, 'rejected', `the merge was not refused: ${JSON.stringify(result)}`);
    assert.equal(result.error?.code, 'merge-refused');
  }),
);

Then(
  'the setting change is refused as an invalid combination',
  outcome(function () {
    const result = this.resultOf(this.lastEvent('settings').ref);
    assert.equal(result.outcome, 'rejected', `the setting change was not refused: ${JSON.stringify(result)}`);
    assert.equal(result.error?.code, 'invalid-settings');
  }),
);
