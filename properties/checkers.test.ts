import { strict as assert } from 'node:assert';
import {
  checkDeterministic,
  checkImage,
  checkModeBlind,
  checkStep,
  checkVisitorMonotone,
  type SettingName,
  type Step,
  type StoreImage,
} from '../src/invariants';
import type { EventResult, ReplayResult, ResultUser, ScenarioEvent } from '../src/replay/types';

/**
 * The checkers of src/invariants on hand-made steps: each reports the violation it exists for and
 * nothing on a clean step. (The mutation check shows the same against a faulty engine.)
 */

function user(ref: string, emails: [string, boolean][] = [], extra: Partial<ResultUser> = {}): ResultUser {
  return { ref, externalId: null, name: null, emails: emails.map(([address, verified]) => ({ address, verified })), conversations: [], ...extra };
}

function image(users: ResultUser[], conversations: StoreImage['conversations'] = []): StoreImage {
  return { users, conversations };
}

function result(ref: string, rule: EventResult['rule'], outcome: EventResult['outcome'], who: string | null): EventResult {
  return outcome === 'rejected'
    ? { ref, outcome, rule, user: null, flags: [], error: { code: 'merge-refused', message: 'refused' } }
    : { ref, outcome, rule, user: who, flags: [] };
}

function step(event: ScenarioEvent, res: EventResult, before: StoreImage, after: StoreImage, setting: SettingName = 'verified-and-unverified', extra: Partial<Step> = {}): Step {
  return { index: 0, event, setting, result: res, before, after, ...extra };
}

const visitor = (email: string): ScenarioEvent => ({ ref: 'c1', type: 'visitor', email });
const names = (violations: { invariant: string }[]) => [...new Set(violations.map((v) => v.invariant))];

describe('the invariant checkers on hand-made steps', () => {
  it('INV-ONE-OWNER and INV-ONE-EXTID: an address held twice (same once normalised), an external id held twice', () => {
    const bad = image([user('p1', [['a@x.com', true]], { externalId: 'u-1' }), user('p2', [[' A@X.COM ', false]], { externalId: 'u-1' })]);
    assert.deepEqual(names(checkImage(bad)), ['INV-ONE-OWNER', 'INV-ONE-EXTID']);
    const kelvin = image([user('p1', [['kelly@x.com', true]], { externalId: 'u-1' }), user('p2', [['\u212Aelly@x.com', false]], { externalId: 'U-1' })]);
    assert.deepEqual(checkImage(kelvin), []);
  });

  it('INV-NO-ANON-CLAIM: a visitor landing on the verified holder, in the two settings it applies to only', () => {
    const before = image([user('p1', [['a@x.com', true]])]);
    const after = image([user('p1', [['a@x.com', true]], { conversations: ['c1'] })], [{ ref: 'c1', user: 'p1', authenticated: false, typedEmail: 'A@x.com' }]);
    const joined = result('c1', 'VISIT-CLAIM-VERIFIED', 'joined', 'p1');
    for (const setting of ['verified-only', 'verified-and-unverified'] as const) {
      assert.deepEqual(names(checkStep(step(visitor('A@x.com'), joined, before, after, setting), ['INV-NO-ANON-CLAIM'])), ['INV-NO-ANON-CLAIM']);
    }
    assert.deepEqual(checkStep(step(visitor('A@x.com'), joined, before, after, 'claim-verified')), []);
  });

  it('INV-STRICT-NO-IDENTITY: a visitor under verified-only that stores the address', () => {
    const before = image([]);
    const after = image([user('new:c1', [['a@x.com', false]], { conversations: ['c1'] })], [{ ref: 'c1', user: 'new:c1', authenticated: false, typedEmail: 'a@x.com' }]);
    const created = result('c1', 'VISIT-STRICT', 'created', 'new:c1');
    assert.deepEqual(names(checkStep(step(visitor('a@x.com'), created, before, after, 'verified-only'))), ['INV-STRICT-NO-IDENTITY']);
    assert.deepEqual(checkStep(step(visitor('a@x.com'), { ...created, rule: 'VISIT-NEW-UNVERIFIED' }, before, after, 'verified-and-unverified')), []);
  });

  it('INV-VERIFIED-BY-JWT: verified without a vouching JWT, for another address, on another user; merges keep flags', () => {
    const before = image([user('p1', [['a@x.com', false]], { externalId: 'u-1' })]);
    const after = image([user('p1', [['a@x.com', true]], { externalId: 'u-1', conversations: ['c1'] })], [{ ref: 'c1', user: 'p1', authenticated: true, typedEmail: null }]);
    const promote = result('c1', 'AUTH-LINK-PROMOTE', 'joined', 'p1');
    const signedIn = (claims: Record<string, unknown>): ScenarioEvent => ({ ref: 'c1', type: 'signed-in', claims });
    const vouching = { scope: 'user', external_id: 'u-1', email: ' A@X.com', email_verified: true };
    assert.deepEqual(checkStep(step(signedIn(vouching), promote, before, after)), []);
    for (const claims of [
      { ...vouching, email_verified: false },
      { ...vouching, email: 'b@x.com' },
      { scope: 'user', external_id: 'u-1', email_verified: true },
    ]) {
      assert.deepEqual(names(checkStep(step(signedIn(claims), promote, before, after), ['INV-VERIFIED-BY-JWT'])), ['INV-VERIFIED-BY-JWT'], JSON.stringify(claims));
    }
    // the JWT vouches, but the identity is verified on someone else than the result's user
    assert.deepEqual(names(checkStep(step(signedIn(vouching), { ...promote, user: 'p2' }, before, after), ['INV-VERIFIED-BY-JWT'])), ['INV-VERIFIED-BY-JWT']);
    // a merge that flips a flag (verified to unverified)
    const mergeBefore = image([user('p1', [['a@x.com', true]]), user('p2')]);
    const mergeAfter = image([user('p1', [], { mergedInto: 'p2' }), user('p2', [['a@x.com', false]])]);
    const merge: ScenarioEvent = { ref: 'm1', type: 'merge', from: 'p1', into: 'p2' };
    assert.deepEqual(names(checkStep(step(merge, result('m1', 'ADMIN-MERGE', 'merged', 'p2'), mergeBefore, mergeAfter))), ['INV-VERIFIED-BY-JWT', 'INV-VERIFIED-STAYS']);
  });

  it('INV-VERIFIED-STAYS: a verified identity moving without a merge, or going away; moving by a merge is fine', () => {
    const before = image([user('p1', [['a@x.com', true]]), user('p2')]);
    const moved = image([user('p1'), user('p2', [['a@x.com', true]])]);
    const merged = image([user('p1', [], { mergedInto: 'p2' }), user('p2', [['a@x.com', true]])]);
    const gone = image([user('p1'), user('p2')]);
    const signedIn: ScenarioEvent = { ref: 'c1', type: 'signed-in', claims: { scope: 'user', external_id: 'u-1', email: 'a@x.com', email_verified: true } };
    const merge: ScenarioEvent = { ref: 'm1', type: 'merge', from: 'p1', into: 'p2' };
    assert.deepEqual(names(checkStep(step(signedIn, result('c1', 'AUTH-LINK-EMAIL-TAKEN', 'joined', 'p2'), before, moved), ['INV-VERIFIED-STAYS'])), ['INV-VERIFIED-STAYS']);
    assert.deepEqual(names(checkStep(step(signedIn, result('c1', 'AUTH-NEW', 'joined', 'p2'), before, gone), ['INV-VERIFIED-STAYS'])), ['INV-VERIFIED-STAYS']);
    assert.deepEqual(checkStep(step(merge, result('m1', 'ADMIN-MERGE', 'merged', 'p2'), before, merged), ['INV-VERIFIED-STAYS']), []);
    // a merge event that moves the identity elsewhere than into its target
    const elsewhere = image([user('p1', [], { mergedInto: 'p3' }), user('p2', [['a@x.com', true]]), user('p3')]);
    assert.deepEqual(names(checkStep(step(merge, result('m1', 'ADMIN-MERGE', 'merged', 'p3'), { users: [...before.users, user('p3')], conversations: [] }, elsewhere), ['INV-VERIFIED-STAYS'])), ['INV-VERIFIED-STAYS']);
  });

  it('INV-REJECT-WRITES-NOTHING: a rejection that changes the users, or only the database image', () => {
    const before = image([user('p1')]);
    const merge: ScenarioEvent = { ref: 'm1', type: 'merge', from: 'p1', into: 'p1' };
    const refused = result('m1', 'ADMIN-MERGE', 'rejected', null);
    assert.deepEqual(names(checkStep(step(merge, refused, before, image([user('p1'), user('x')])))), ['INV-REJECT-WRITES-NOTHING']);
    const same = { dumpBefore: Buffer.from([1, 2, 3]), dumpAfter: Buffer.from([1, 2, 3]) };
    assert.deepEqual(checkStep(step(merge, refused, before, before, 'verified-only', same)), []);
    const changed = { dumpBefore: Buffer.from([1, 2, 3]), dumpAfter: Buffer.from([1, 2, 4]) };
    assert.deepEqual(names(checkStep(step(merge, refused, before, before, 'verified-only', changed))), ['INV-REJECT-WRITES-NOTHING']);
  });

  it('INV-EVERY-CONVERSATION: on a merged user, listed twice, missing, or not where the result says', () => {
    const onMerged = image([user('p1', [], { mergedInto: 'p2', conversations: ['c1'] }), user('p2')], [{ ref: 'c1', user: 'p1', authenticated: false, typedEmail: null }]);
    assert.deepEqual(names(checkImage(onMerged)), ['INV-EVERY-CONVERSATION']);
    const twice = image([user('p1', [], { conversations: ['c1'] }), user('p2', [], { conversations: ['c1'] })], [{ ref: 'c1', user: 'p1', authenticated: false, typedEmail: null }]);
    assert.deepEqual(names(checkImage(twice)), ['INV-EVERY-CONVERSATION']);
    const after = image([user('p1', [], { conversations: ['c1'] })], [{ ref: 'c1', user: 'p1', authenticated: false, typedEmail: null }]);
    assert.deepEqual(names(checkStep(step(visitor('a@x.com'), result('c1', 'VISIT-JOIN-UNVERIFIED', 'joined', 'p2'), image([user('p1')]), after))), ['INV-EVERY-CONVERSATION']);
    assert.deepEqual(checkStep(step(visitor('a@x.com'), result('c1', 'VISIT-JOIN-UNVERIFIED', 'joined', 'p1'), image([user('p1')]), after)), []);
  });

  it('INV-AUTH-MODE-BLIND, INV-VISITOR-MONOTONE, INV-DETERMINISTIC compare runs', () => {
    const event: ScenarioEvent = { ref: 'c1', type: 'signed-in', claims: { scope: 'user', external_id: 'u-1' } };
    const empty = image([]);
    const a = result('c1', 'AUTH-NO-EMAIL', 'created', 'new:c1');
    const probe = (setting: SettingName, res: EventResult, after = empty) => ({ setting, result: res, after });
    assert.deepEqual(checkModeBlind(0, event, [probe('verified-only', a), probe('claim-verified', a)]), []);
    assert.deepEqual(names(checkModeBlind(0, event, [probe('verified-only', a), probe('claim-verified', { ...a, rule: 'AUTH-NEW' })])), ['INV-AUTH-MODE-BLIND']);
    assert.deepEqual(names(checkModeBlind(0, event, [probe('verified-only', a), probe('claim-verified', a, image([user('x')]))])), ['INV-AUTH-MODE-BLIND']);

    const v = visitor('a@x.com');
    const join = result('c1', 'VISIT-JOIN-UNVERIFIED', 'joined', 'p1');
    const create = result('c1', 'VISIT-VERIFIED-HELD', 'created', 'new:c1');
    assert.deepEqual(checkVisitorMonotone(0, v, [probe('verified-only', create), probe('verified-and-unverified', join), probe('claim-verified', join)]), []);
    assert.deepEqual(names(checkVisitorMonotone(0, v, [probe('verified-only', create), probe('verified-and-unverified', join), probe('claim-verified', create)])), ['INV-VISITOR-MONOTONE']);

    const run: ReplayResult = { settings: { emailIdentities: 'verified-only', unauthenticatedCanClaimVerified: false }, results: [a], users: [], conversations: [] };
    assert.deepEqual(checkDeterministic(run, structuredClone(run)), []);
    assert.deepEqual(names(checkDeterministic(run, { ...run, results: [{ ...a, user: 'p1' }] })), ['INV-DETERMINISTIC']);
  });
});
