import type { ReadingProfile } from '../domain';
import type { EventResult, ReplayResult, ResultConversation, ResultUser, ScenarioEvent } from '../replay/types';
import { INVARIANT_IDS, type InvariantId, type Violation } from './ids';
import type { StepDelta } from './image';
import {
  claimsOf,
  holdersOf,
  identitiesOf,
  normalise,
  userByRef,
  vouchesForEmail,
  type HeldIdentity,
  type SettingName,
  type StoreImage,
} from './state';

/**
 * Pure checkers for the invariants of `flows.md`, judged from one event, its result and the store
 * image (`replay.md` result shape) before and after it. Nothing here runs the engine or reads its
 * policy: the same functions judge a replayed scenario (`checkScenario`), a random history of the
 * property tests, and every world of the exhaustive check.
 */

export interface Step {
  readonly index: number;
  readonly event: ScenarioEvent;
  /** The setting in force when the event ran; null never happens for a valid scenario. */
  readonly setting: SettingName | null;
  readonly result: EventResult;
  readonly before: StoreImage;
  readonly after: StoreImage;
  /** The database images (`engine.store.dump()`) around the event, when the caller took them. */
  readonly dumpBefore?: Uint8Array;
  readonly dumpAfter?: Uint8Array;
  /** The reading profile the event was decided under (default `reference`): under `doc`, a LOGIN-MOVE merges. */
  readonly profile?: ReadingProfile;
  /**
   * What the event changed (src/invariants/image.ts), when the caller knows: with clean images the
   * checks then read the changed users and conversations only, and give what reading the whole images
   * would give (a property test holds them to that). Without it, or with images that are not clean,
   * they read the whole images.
   */
  readonly delta?: StepDelta;
}

/** The step's delta when its shortcuts apply (clean images), else undefined. */
function fast(step: Step): StepDelta | undefined {
  return step.delta?.clean ? step.delta : undefined;
}

/** The conversation with this ref after the step. */
function conversationAfter(step: Step, ref: string): ResultConversation | undefined {
  const delta = fast(step);
  if (delta === undefined) return step.after.conversations.find((conversation) => conversation.ref === ref);
  return delta.conversationsAfter.find((conversation) => conversation.ref === ref) ?? delta.conversationAfter(ref);
}

/** Whether a conversation with this ref existed before the step. */
function existedBefore(step: Step, ref: string): boolean {
  const delta = fast(step);
  if (delta === undefined) return step.before.conversations.some((conversation) => conversation.ref === ref);
  if (delta.conversationsBefore.some((conversation) => conversation.ref === ref)) return true;
  if (delta.conversationsAfter.some((conversation) => conversation.ref === ref)) return false;
  return delta.conversationAfter(ref) !== undefined;
}

type StepCheck = (step: Step) => string[];

const STEP_CHECKS: Readonly<Partial<Record<InvariantId, StepCheck>>> = {
  // With clean images (StepDelta.clean) no address or external id is held twice and every
  // conversation is where it must be: the state checks have nothing to report.
  'INV-ONE-OWNER': (step) => (fast(step) ? [] : oneOwner(step.after)),
  'INV-ONE-EXTID': (step) => (fast(step) ? [] : oneExternalId(step.after)),
  'INV-NO-ANON-CLAIM': noAnonymousClaim,
  'INV-STRICT-NO-IDENTITY': strictNoIdentity,
  'INV-VERIFIED-BY-JWT': verifiedByJwt,
  'INV-VERIFIED-STAYS': verifiedStays,
  'INV-REJECT-WRITES-NOTHING': rejectWritesNothing,
  'INV-EVERY-CONVERSATION': (step) => [...(fast(step) ? [] : everyConversation(step.after)), ...conversationOfEvent(step)],
};

/** The invariants judged per step (the other three compare runs: see the cross checks below). */
export const STEP_INVARIANTS: readonly InvariantId[] = INVARIANT_IDS.filter((id) => STEP_CHECKS[id] !== undefined);

/** Every step invariant (or those of `only`) on one step. */
export function checkStep(step: Step, only?: readonly InvariantId[]): Violation[] {
  const violations: Violation[] = [];
  for (const invariant of only ?? STEP_INVARIANTS) {
    const check = STEP_CHECKS[invariant];
    if (check === undefined) continue;
    for (const message of check(step)) violations.push({ invariant, event: step.event.ref, index: step.index, message });
  }
  return violations;
}

/** The invariants a store image must satisfy at any moment (the starting store included). */
export function checkImage(image: StoreImage, only?: readonly InvariantId[]): Violation[] {
  const checks: [InvariantId, string[]][] = [
    ['INV-ONE-OWNER', oneOwner(image)],
    ['INV-ONE-EXTID', oneExternalId(image)],
    ['INV-EVERY-CONVERSATION', everyConversation(image)],
  ];
  return checks
    .filter(([invariant]) => only === undefined || only.includes(invariant))
    .flatMap(([invariant, messages]) => messages.map((message) => ({ invariant, event: null, index: null, message })));
}

// ---------------------------------------------------------------------------------------------
// INV-ONE-OWNER, INV-ONE-EXTID, INV-EVERY-CONVERSATION: the state itself

function oneOwner(image: StoreImage): string[] {
  const out: string[] = [];
  for (const [address, holders] of holdersOf(image)) {
    if (holders.length > 1) out.push(`address "${address}" is held ${holders.length} times (by ${holders.join(', ')})`);
  }
  return out;
}

function oneExternalId(image: StoreImage): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const user of image.users) {
    if (user.externalId === null) continue;
    const first = seen.get(user.externalId);
    if (first !== undefined) out.push(`external id "${user.externalId}" is held by ${first} and ${user.ref}`);
    else seen.set(user.externalId, user.ref);
  }
  return out;
}

function everyConversation(image: StoreImage): string[] {
  const out: string[] = [];
  const listedBy = new Map<string, string[]>();
  for (const user of image.users) {
    for (const ref of user.conversations) listedBy.set(ref, [...(listedBy.get(ref) ?? []), user.ref]);
  }
  const known = new Set(image.conversations.map((conversation) => conversation.ref));
  for (const conversation of image.conversations) {
    const owner = userByRef(image, conversation.user);
    if (owner === undefined) out.push(`conversation ${conversation.ref} belongs to ${conversation.user}, which is not a user`);
    else if (owner.mergedInto !== undefined) {
      out.push(`conversation ${conversation.ref} belongs to ${owner.ref}, which was merged into ${owner.mergedInto}`);
    }
    const listers = listedBy.get(conversation.ref) ?? [];
    if (listers.length !== 1 || listers[0] !== conversation.user) {
      out.push(`conversation ${conversation.ref} (of ${conversation.user}) is listed by [${listers.join(', ')}]`);
    }
  }
  for (const [ref, listers] of listedBy) {
    if (!known.has(ref)) out.push(`${listers.join(', ')} list(s) conversation ${ref}, which does not exist`);
  }
  return out;
}

/** The event's own conversation: recorded on the user its result names; no conversation is ever lost. */
function conversationOfEvent(step: Step): string[] {
  const { event, result, after } = step;
  const out: string[] = [];
  const delta = fast(step);
  // Only a changed conversation can have disappeared.
  const afterRefs = new Set((delta ? delta.conversationsAfter : after.conversations).map((conversation) => conversation.ref));
  for (const conversation of delta ? delta.conversationsBefore : step.before.conversations) {
    if (!afterRefs.has(conversation.ref)) out.push(`conversation ${conversation.ref} disappeared`);
  }
  const accepted = result.outcome !== 'rejected';
  if (event.type === 'visitor' || event.type === 'signed-in') {
    const own = conversationAfter(step, event.ref);
    if (accepted && own === undefined) out.push(`accepted ${event.type} event ${event.ref} recorded no conversation`);
    if (accepted && own !== undefined && own.user !== result.user) {
      out.push(`conversation ${event.ref} is on ${own.user}, but the result names ${String(result.user)}`);
    }
    if (!accepted && own !== undefined && !existedBefore(step, event.ref)) {
      out.push(`rejected event ${event.ref} recorded a conversation`);
    }
  } else if (event.type === 'login' && accepted) {
    const own = conversationAfter(step, event.conversation);
    if (own === undefined) out.push(`conversation ${event.conversation} of login ${event.ref} does not exist`);
    else if (own.user !== result.user) {
      out.push(`after login ${event.ref}, conversation ${event.conversation} is on ${own.user}, but the result names ${String(result.user)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// INV-NO-ANON-CLAIM, INV-STRICT-NO-IDENTITY: visitors

function noAnonymousClaim(step: Step): string[] {
  const { event, result } = step;
  if (event.type !== 'visitor' || typeof event.email !== 'string') return [];
  if (step.setting !== 'verified-only' && step.setting !== 'verified-and-unverified') return [];
  const key = normalise(event.email);
  const delta = fast(step);
  const held = delta ? delta.holderBefore(key) : identitiesOf(step.before).get(key);
  if (held === undefined || !held.verified) return [];
  const own = conversationAfter(step, event.ref);
  if (result.user === held.owner || own?.user === held.owner) {
    return [`under ${step.setting}, visitor ${event.ref} typing "${event.email}" landed on ${held.owner}, who holds "${held.address}" verified (rule ${result.rule})`];
  }
  return [];
}

function identityLines(image: StoreImage): string[] {
  return image.users.flatMap((user) => user.emails.map((email) => `${user.ref}: "${email.address}" ${email.verified ? 'verified' : 'unverified'}`)).sort();
}

function strictNoIdentity(step: Step): string[] {
  if (step.event.type !== 'visitor' || step.setting !== 'verified-only') return [];
  // The lines of users the event did not change are the same on both sides (and carry their ref).
  const delta = fast(step);
  const before = identityLines(delta ? { users: delta.usersBefore, conversations: [] } : step.before);
  const after = identityLines(delta ? { users: delta.usersAfter, conversations: [] } : step.after);
  const added = after.filter((line) => !before.includes(line));
  const removed = before.filter((line) => !after.includes(line));
  if (added.length === 0 && removed.length === 0) return [];
  return [`under verified-only, visitor ${step.event.ref} (rule ${step.result.rule}) changed identities: added [${added.join('; ')}], removed [${removed.join('; ')}]`];
}

// ---------------------------------------------------------------------------------------------
// INV-VERIFIED-BY-JWT, INV-VERIFIED-STAYS: identities between the two images

/** Users the event merged away: marked merged after it and not before. */
function newlyMerged(step: Step): Map<string, string> {
  const merged = new Map<string, string>();
  const delta = fast(step);
  // Only a changed user can have been merged away by the event.
  const before = delta ? new Map(delta.usersBefore.map((user) => [user.ref, user])) : undefined;
  for (const user of delta ? delta.usersAfter : step.after.users) {
    if (user.mergedInto === undefined) continue;
    const was = before ? before.get(user.ref) : userByRef(step.before, user.ref);
    if (was?.mergedInto === undefined) merged.set(user.ref, user.mergedInto);
  }
  return merged;
}

/**
 * The identities of an image by normalised address (`identitiesOf`), or, with a delta, those of the
 * changed users only and a lookup for any address: with clean images, an identity of a user the event
 * did not change is the same before and after, so it can break no step invariant.
 */
interface Identities {
  /** The identities of the users the checks must go through, in image order. */
  readonly listed: Map<string, HeldIdentity>;
  readonly get: (key: string) => HeldIdentity | undefined;
}

function identitiesAround(step: Step): { before: Identities; after: Identities } {
  const delta = fast(step);
  if (delta === undefined) {
    const before = identitiesOf(step.before);
    const after = identitiesOf(step.after);
    return { before: { listed: before, get: (key) => before.get(key) }, after: { listed: after, get: (key) => after.get(key) } };
  }
  const before = identitiesOf({ users: delta.usersBefore, conversations: [] });
  const after = identitiesOf({ users: delta.usersAfter, conversations: [] });
  return {
    before: { listed: before, get: (key) => before.get(key) ?? delta.holderBefore(key) },
    after: { listed: after, get: (key) => after.get(key) ?? delta.holderAfter(key) },
  };
}

/**
 * ADMIN-MERGE and LOGIN-MERGE; under the `doc` reading also a LOGIN-MOVE with outcome `merged` (flows.md:
 * it "counts as a merge for INV-VERIFIED-STAYS and INV-VERIFIED-BY-JWT").
 */
function isMergeEvent(step: Step): boolean {
  if (step.result.outcome === 'rejected') return false;
  if (step.event.type === 'merge') return true;
  if (step.event.type !== 'login') return false;
  return step.result.rule === 'LOGIN-MERGE' || (step.profile === 'doc' && step.result.rule === 'LOGIN-MOVE' && step.result.outcome === 'merged');
}

function verifiedByJwt(step: Step): string[] {
  const { event, result } = step;
  const out: string[] = [];
  const { before, after } = identitiesAround(step);
  const claims = claimsOf(event);
  const accepted = result.outcome !== 'rejected';
  const jwtAddress = vouchesForEmail(claims) ? normalise(claims?.email as string) : null;
  for (const [key, identity] of after.listed) {
    if (!identity.verified || before.get(key)?.verified === true) continue;
    const explained = accepted && (event.type === 'signed-in' || event.type === 'login') && jwtAddress === key && identity.owner === result.user;
    if (!explained) {
      const was = before.get(key);
      const how = was === undefined ? 'appeared verified' : `went from unverified (on ${was.owner}) to verified`;
      const jwt = claims === undefined ? 'no JWT' : jwtAddress === null ? 'a JWT that does not vouch for an email' : `a JWT vouching for "${String(claims.email)}"`;
      out.push(`"${identity.address}" ${how} on ${identity.owner} through ${event.type} ${event.ref} (rule ${result.rule}, ${jwt}, result user ${String(result.user)})`);
    }
  }
  if (isMergeEvent(step)) {
    // A merge moves identities with their verified flag unchanged (the login's own email step aside).
    for (const [from] of newlyMerged(step)) {
      for (const [key, identity] of before.listed) {
        if (identity.owner !== from) continue;
        const moved = after.get(key);
        if (moved === undefined || moved.verified === identity.verified) continue;
        if (jwtAddress === key && !identity.verified && moved.verified) continue;
        out.push(`merging ${from} changed "${identity.address}" from ${identity.verified ? 'verified' : 'unverified'} to ${moved.verified ? 'verified' : 'unverified'}`);
      }
    }
  }
  return out;
}

function verifiedStays(step: Step): string[] {
  const out: string[] = [];
  const { before, after } = identitiesAround(step);
  const merged = isMergeEvent(step) ? newlyMerged(step) : new Map<string, string>();
  for (const [key, identity] of before.listed) {
    if (!identity.verified) continue;
    const now = after.get(key);
    const what = `verified "${identity.address}" of ${identity.owner}`;
    if (now === undefined) out.push(`${what} disappeared through ${step.event.type} ${step.event.ref} (rule ${step.result.rule})`);
    else if (!now.verified) out.push(`${what} became unverified through ${step.event.type} ${step.event.ref} (rule ${step.result.rule})`);
    else if (now.owner !== identity.owner && merged.get(identity.owner) !== now.owner) {
      out.push(`${what} moved to ${now.owner} through ${step.event.type} ${step.event.ref} (rule ${step.result.rule}), which is not a merge of ${identity.owner} into ${now.owner}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// INV-REJECT-WRITES-NOTHING

/**
 * The same image as JSON text, compared entry by entry: an entry that is the same object on both
 * sides (an image kept up to date shares the entries an event did not change) is not serialised.
 */
export function sameImage(a: StoreImage, b: StoreImage): boolean {
  return sameEntries(a.users, b.users) && sameEntries(a.conversations, b.conversations);
}

function sameEntries(a: readonly (ResultUser | ResultConversation)[], b: readonly (ResultUser | ResultConversation)[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  }
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function rejectWritesNothing(step: Step): string[] {
  if (step.result.outcome !== 'rejected') return [];
  const out: string[] = [];
  if (!sameImage(step.before, step.after)) {
    out.push(`rejected ${step.event.type} ${step.event.ref} (rule ${step.result.rule}) changed the users or conversations`);
  }
  if (step.dumpBefore !== undefined && step.dumpAfter !== undefined && !sameBytes(step.dumpBefore, step.dumpAfter)) {
    out.push(`rejected ${step.event.type} ${step.event.ref} (rule ${step.result.rule}) changed the database image`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cross checks: the same store under different settings, and the same scenario twice

/** One run of an event from the same store under one setting. */
export interface SettingProbe {
  readonly setting: SettingName;
  readonly result: EventResult;
  /** The store after it; absent when the caller did not take it (INV-VISITOR-MONOTONE compares results only). */
  readonly after?: StoreImage;
}

function imageOf(probe: SettingProbe): StoreImage {
  if (probe.after === undefined) throw new Error(`INV-AUTH-MODE-BLIND needs the store after the probe under ${probe.setting}`);
  return probe.after;
}

/** A result without its error message (a sentence for a person, not compared). */
export function resultFacts(result: EventResult): unknown {
  return { ref: result.ref, outcome: result.outcome, rule: result.rule, user: result.user, flags: result.flags, code: result.error?.code ?? null };
}

function describe(result: EventResult): string {
  return `${result.rule} ${result.outcome} ${String(result.user)}${result.flags.length ? ` [${result.flags.join(',')}]` : ''}${result.error ? ` (${result.error.code})` : ''}`;
}

/**
 * INV-AUTH-MODE-BLIND: a signed-in or login event whose JWT has `email_verified: true` or no `email`,
 * run from the same store under each setting, gives the same result and the same store.
 */
export function checkModeBlind(index: number, event: ScenarioEvent, probes: readonly SettingProbe[]): Violation[] {
  const [first, ...rest] = probes;
  if (first === undefined) return [];
  const out: Violation[] = [];
  const firstFacts = JSON.stringify(resultFacts(first.result));
  for (const probe of rest) {
    let message: string | null = null;
    if (JSON.stringify(resultFacts(probe.result)) !== firstFacts) {
      message = `${event.ref} gives ${describe(first.result)} under ${first.setting} but ${describe(probe.result)} under ${probe.setting}`;
    } else if (!sameImage(imageOf(probe), imageOf(first))) {
      message = `${event.ref} (${describe(first.result)}) leaves a different store under ${first.setting} and ${probe.setting}`;
    }
    if (message !== null) out.push({ invariant: 'INV-AUTH-MODE-BLIND', event: event.ref, index, message });
  }
  return out;
}

const MONOTONE_ORDER: readonly SettingName[] = ['verified-only', 'verified-and-unverified', 'claim-verified'];

/**
 * INV-VISITOR-MONOTONE: from the same store, a visitor that joins user U under verified-only joins U
 * under verified-and-unverified, and one that joins U there joins U under claim-verified.
 */
export function checkVisitorMonotone(index: number, event: ScenarioEvent, probes: readonly SettingProbe[]): Violation[] {
  const out: Violation[] = [];
  for (let i = 0; i + 1 < MONOTONE_ORDER.length; i++) {
    const weaker = probes.find((probe) => probe.setting === MONOTONE_ORDER[i]);
    const stronger = probes.find((probe) => probe.setting === MONOTONE_ORDER[i + 1]);
    if (weaker === undefined || stronger === undefined || weaker.result.outcome !== 'joined') continue;
    if (stronger.result.outcome !== 'joined' || stronger.result.user !== weaker.result.user) {
      out.push({
        invariant: 'INV-VISITOR-MONOTONE',
        event: event.ref,
        index,
        message: `${event.ref} joins ${String(weaker.result.user)} under ${weaker.setting} (${weaker.result.rule}) but gives ${describe(stronger.result)} under ${stronger.setting}`,
      });
    }
  }
  return out;
}

/** INV-DETERMINISTIC: two runs of one scenario give the same result document, messages included. */
export function checkDeterministic(first: ReplayResult, second: ReplayResult): Violation[] {
  if (JSON.stringify(first) === JSON.stringify(second)) return [];
  const index = first.results.findIndex((result, i) => JSON.stringify(result) !== JSON.stringify(second.results[i]));
  if (index >= 0) {
    const a = first.results[index] as EventResult;
    const b = second.results[index];
    return [{ invariant: 'INV-DETERMINISTIC', event: a.ref, index, message: `the first run gives ${describe(a)}${a.error ? ` "${a.error.message}"` : ''}, the second ${b ? describe(b) : 'nothing'}${b?.error ? ` "${b.error.message}"` : ''}` }];
  }
  return [{ invariant: 'INV-DETERMINISTIC', event: null, index: null, message: 'two runs give the same event results but different users or conversations' }];
}
