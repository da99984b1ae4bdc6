import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { checkStep, deltaOf, traceScenario, type SettingName, type Step, type StoreImage } from '../src/invariants';
import type { EventResult, ResultConversation, ResultUser, Scenario, ScenarioEvent } from '../src/replay/types';
import { scenarioArb } from './arbitraries/events';
import { runsFor, SEED } from './harness/config';

/**
 * The shortcuts of linear checking (issue 11) give what the whole-image checks give:
 *
 * - DELTA-SHORTCUTS: every step check, run on the whole images and run with the delta of the two
 *   images (`deltaOf`), reports the same violations, over random pairs of images that are mostly
 *   clean and sometimes not (an address, external id or ref held twice, a conversation out of place,
 *   entries gone): the checks may take their shortcuts only when they lose nothing.
 * - INCREMENTAL-IMAGES: the images a trace keeps event by event from the store's change feed are the
 *   store's own snapshots, after every event of random histories, and a trace with them and one
 *   reading whole images give the same steps, probes and result.
 */

const ADDRESSES = [['a@x.com', 'A@x.com ', ' A@X.COM'], ['b@x.com', 'B@x.com'], ['kelly@x.com'], ['\u212Aelly@x.com']] as const;
const EXTERNAL_IDS = [null, 'u-1', 'U-1', 'v'] as const;
const SETTINGS: readonly SettingName[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];

interface WorldSpec {
  readonly users: readonly { readonly externalId: number; readonly mergedInto: number | null }[];
  /** Per address: owner (index, or -1 for nobody), verified, spelling. */
  readonly identities: readonly { readonly owner: number; readonly verified: boolean; readonly spelling: number }[];
  /** Per conversation: owner index. */
  readonly conversations: readonly number[];
}

const worldArb: fc.Arbitrary<WorldSpec> = fc.record({
  users: fc.array(fc.record({ externalId: fc.nat(3), mergedInto: fc.option(fc.nat(4), { nil: null, freq: 4 }) }), { maxLength: 4 }),
  identities: fc.array(fc.record({ owner: fc.integer({ min: -1, max: 4 }), verified: fc.boolean(), spelling: fc.nat(2) }), { minLength: 4, maxLength: 4 }),
  conversations: fc.array(fc.nat(4), { maxLength: 4 }),
});

/** A clean image of the spec (but for external ids drawn alike, and users merged while holding things). */
function build(spec: WorldSpec, refs: readonly string[]): StoreImage {
  const users = spec.users.map((u, i): ResultUser => ({ ref: refs[i] as string, externalId: EXTERNAL_IDS[u.externalId] ?? null, name: null, emails: [], conversations: [] }));
  const mutable = users as { -readonly [K in keyof ResultUser]: ResultUser[K] }[];
  spec.identities.forEach((identity, a) => {
    const owner = mutable[identity.owner];
    if (owner === undefined) return;
    const spellings = ADDRESSES[a] as readonly string[];
    owner.emails = [...owner.emails, { address: spellings[identity.spelling % spellings.length] as string, verified: identity.verified }];
  });
  const conversations: ResultConversation[] = [];
  spec.conversations.forEach((owner, c) => {
    const user = mutable[owner];
    if (user === undefined) return;
    conversations.push({ ref: `c${c}`, user: user.ref, authenticated: c % 2 === 0, typedEmail: null });
    user.conversations = [...user.conversations, `c${c}`];
  });
  spec.users.forEach((u, i) => {
    const target = u.mergedInto === null ? undefined : users[u.mergedInto];
    if (target !== undefined && target !== users[i]) mutable[i] = { ...(mutable[i] as ResultUser), externalId: null, mergedInto: target.ref };
  });
  return { users: mutable, conversations };
}

/** Damage that makes an image unclean, or entries that go away. */
type Damage = 'none' | 'duplicate-ref' | 'list-twice' | 'drop-user' | 'drop-conversation' | 'address-twice';

function damage(image: StoreImage, how: Damage): StoreImage {
  const [first, second] = image.users;
  switch (how) {
    case 'none':
      return image;
    case 'duplicate-ref':
      return first ? { ...image, users: [...image.users, { ...first, emails: [] }] } : image;
    case 'list-twice':
      return first && second && first.conversations[0] ? { ...image, users: [first, { ...second, conversations: [...second.conversations, first.conversations[0]] }, ...image.users.slice(2)] } : image;
    case 'drop-user':
      return { ...image, users: image.users.slice(1) };
    case 'drop-conversation':
      return { ...image, conversations: image.conversations.slice(1) };
    case 'address-twice':
      return first && second && first.emails[0] ? { ...image, users: [first, { ...second, emails: [...second.emails, { ...first.emails[0] }] }, ...image.users.slice(2)] } : image;
  }
}

const damageArb = fc.oneof({ weight: 6, arbitrary: fc.constant<Damage>('none') }, { weight: 1, arbitrary: fc.constantFrom<Damage>('duplicate-ref', 'list-twice', 'drop-user', 'drop-conversation', 'address-twice') });

const eventArb: fc.Arbitrary<ScenarioEvent> = fc.oneof(
  fc.record({ ref: fc.constantFrom('c0', 'c3', 'c9'), type: fc.constant('visitor' as const), email: fc.option(fc.constantFrom(...ADDRESSES.flat()), { nil: null }) }),
  fc.record({
    ref: fc.constantFrom('c0', 'c3', 'c9'),
    type: fc.constant('signed-in' as const),
    claims: fc.record({ scope: fc.constant('user'), external_id: fc.constant('u-1'), email: fc.constantFrom(...ADDRESSES.flat()), email_verified: fc.boolean() }),
  }),
  fc.record({
    ref: fc.constant('l9'),
    type: fc.constant('login' as const),
    conversation: fc.constantFrom('c0', 'c1', 'c2'),
    claims: fc.record({ scope: fc.constant('user'), external_id: fc.constant('U-1'), email: fc.constantFrom(...ADDRESSES.flat()), email_verified: fc.boolean() }),
  }),
  fc.record({ ref: fc.constant('m9'), type: fc.constant('merge' as const), from: fc.constantFrom('p0', 'p1', 'n0'), into: fc.constantFrom('p0', 'p1', 'p2') }),
);

const resultArb = (users: readonly string[]): fc.Arbitrary<EventResult> =>
  fc.record({
    outcome: fc.constantFrom('created', 'joined', 'merged', 'rejected' as const),
    rule: fc.constantFrom('VISIT-CLAIM-VERIFIED', 'AUTH-LINK-PROMOTE', 'LOGIN-MERGE', 'ADMIN-MERGE', 'VISIT-STRICT' as const),
    user: fc.constantFrom(null, ...users),
  }).map(({ outcome, rule, user }) =>
    outcome === 'rejected'
      ? { ref: 'x', outcome, rule, user: null, flags: [], error: { code: 'merge-refused' as const, message: 'refused' } }
      : { ref: 'x', outcome, rule, user, flags: [] },
  );

const stepArb: fc.Arbitrary<Step> = fc
  .record({ before: worldArb, after: worldArb, keep: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), damageBefore: damageArb, damageAfter: damageArb, event: eventArb, setting: fc.constantFrom(...SETTINGS) })
  .chain((spec) => {
    const before = damage(build(spec.before, ['p0', 'p1', 'p2', 'p3']), spec.damageBefore);
    // After: some users as they were (the same objects, as a trace keeps them), the others rebuilt.
    const rebuilt = build(spec.after, ['p0', 'p1', 'p2', 'n0']);
    const users = rebuilt.users.map((user, i) => (spec.keep[i] && before.users[i]?.ref === user.ref ? (before.users[i] as ResultUser) : user));
    const after = damage({ users, conversations: rebuilt.conversations.map((c, i) => (spec.keep[i] && before.conversations[i]?.ref === c.ref ? (before.conversations[i] as ResultConversation) : c)) }, spec.damageAfter);
    return resultArb(after.users.map((user) => user.ref)).map((result): Step => ({ index: 0, event: { ...spec.event }, setting: spec.setting, result: { ...result, ref: spec.event.ref }, before, after }));
  });

describe('linear checking gives what whole-image checking gives', () => {
  it('DELTA-SHORTCUTS: every step check reports the same with the delta of two images as with the images whole', () => {
    let clean = 0;
    let violations = 0;
    fc.assert(
      fc.property(stepArb, (step) => {
        const delta = deltaOf(step.before, step.after);
        if (delta.clean) clean++;
        const whole = checkStep(step);
        violations += whole.length;
        assert.deepEqual(checkStep({ ...step, delta }), whole);
      }),
      { numRuns: runsFor(3000), seed: SEED },
    );
    console.log(`      DELTA-SHORTCUTS: ${runsFor(3000)} steps, ${clean} with clean images, ${violations} violations reported alike`);
    assert.ok(clean > runsFor(3000) / 4, 'too few clean steps: the shortcuts were hardly exercised');
    assert.ok(violations > 0, 'no violation at all: the comparison shows nothing');
  });

  it('INCREMENTAL-IMAGES: the images kept from the change feed are the store snapshots, and the traces agree', async () => {
    const probes = { settings: SETTINGS, select: () => true };
    await fc.assert(
      fc.asyncProperty(scenarioArb({ maxEvents: 12 }), async (scenario: Scenario) => {
        const seen: unknown[] = [];
        const incremental = await traceScenario(scenario, { validateEveryStep: true, probes, onStep: (step, p) => seen.push([step.index, p]) });
        assert.ok(incremental.incremental, 'the trace fell back to whole images on the reference engine');
        const wholeSeen: unknown[] = [];
        const whole = await traceScenario(scenario, { wholeImages: true, probes, onStep: (step, p) => wholeSeen.push([step.index, p]) });
        assert.deepEqual(JSON.parse(JSON.stringify(incremental.steps)), JSON.parse(JSON.stringify(whole.steps)));
        assert.deepEqual(JSON.stringify(seen), JSON.stringify(wholeSeen));
        assert.deepEqual(incremental.result, whole.result);
      }),
      { numRuns: runsFor(150), seed: SEED },
    );
  });
});
