import type { Engine } from '../engine';
import type { ChangeFeed } from '../store/store';
import type { ResultConversation, ResultUser } from '../replay/types';
import { normalise, type HeldIdentity, type StoreImage } from './state';

/**
 * Store images kept up to date event by event, so that checking a scenario is linear in its events:
 * after each event only the users and conversations the store's change feed names are read again
 * (`Store.userRecord`, `Store.conversationRecord`); every other entry of the image is the same object
 * as before. An `ImageIndex` of the current image answers what the step checks ask of the image before
 * an event (who holds an address), and says whether the image is clean (no address, external id, user
 * ref or conversation ref held twice, every conversation where it must be), the condition under which
 * the step checks may look at the changed part alone (see `StepDelta`).
 */

/** What an event changed: the changed users and conversations before and after it, in image order. */
export interface StepDelta {
  readonly usersBefore: readonly ResultUser[];
  readonly usersAfter: readonly ResultUser[];
  readonly conversationsBefore: readonly ResultConversation[];
  readonly conversationsAfter: readonly ResultConversation[];
  /** The holder of a normalised address in the image before / after the event (only while `clean`). */
  readonly holderBefore: (key: string) => HeldIdentity | undefined;
  readonly holderAfter: (key: string) => HeldIdentity | undefined;
  /** The conversation with this ref after the event (only while `clean`). */
  readonly conversationAfter: (ref: string) => ResultConversation | undefined;
  /**
   * Both images are clean: no normalised address, external id, user ref or conversation ref is held
   * twice and every conversation is on one existing, not merged-away user that alone lists it. Only
   * then do the checks take their shortcuts; otherwise they read the whole images.
   */
  readonly clean: boolean;
}

/** The changed part of two images, found by comparing them whole (for tests and small images). */
export function deltaOf(before: StoreImage, after: StoreImage): StepDelta {
  const changedUsers = changedRefs(before.users, after.users);
  const changedConversations = changedRefs(before.conversations, after.conversations);
  const indexBefore = ImageIndex.of(before);
  const indexAfter = ImageIndex.of(after);
  return {
    usersBefore: before.users.filter((user) => changedUsers.has(user.ref)),
    usersAfter: after.users.filter((user) => changedUsers.has(user.ref)),
    conversationsBefore: before.conversations.filter((conversation) => changedConversations.has(conversation.ref)),
    conversationsAfter: after.conversations.filter((conversation) => changedConversations.has(conversation.ref)),
    holderBefore: (key) => indexBefore.holder(key),
    holderAfter: (key) => indexAfter.holder(key),
    conversationAfter: (ref) => indexAfter.conversationByRef(ref),
    clean: indexBefore.clean && indexAfter.clean,
  };
}

function changedRefs(before: readonly { ref: string }[], after: readonly { ref: string }[]): Set<string> {
  const old = new Map<string, string[]>();
  for (const entry of before) old.set(entry.ref, [...(old.get(entry.ref) ?? []), JSON.stringify(entry)]);
  const changed = new Set<string>();
  const now = new Map<string, string[]>();
  for (const entry of after) now.set(entry.ref, [...(now.get(entry.ref) ?? []), JSON.stringify(entry)]);
  for (const ref of new Set([...old.keys(), ...now.keys()])) {
    if (JSON.stringify(old.get(ref) ?? []) !== JSON.stringify(now.get(ref) ?? [])) changed.add(ref);
  }
  return changed;
}

function bump<K>(counts: Map<K, number>, key: K, by: number): number {
  const next = (counts.get(key) ?? 0) + by;
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
  return next;
}

/**
 * Counts over one image, updated entry by entry: who holds each normalised address and external id,
 * how many users and conversations carry each ref, who lists each conversation, which conversations
 * each user ref owns, and which conversation refs break INV-EVERY-CONVERSATION.
 */
export class ImageIndex {
  private readonly addresses = new Map<string, number>();
  private readonly holders = new Map<string, HeldIdentity>();
  private twiceHeldAddresses = 0;
  private readonly externalIds = new Map<string, number>();
  private twiceHeldExternalIds = 0;
  private readonly userRefs = new Map<string, ResultUser[]>();
  private twiceUsedUserRefs = 0;
  private readonly conversationRefs = new Map<string, ResultConversation[]>();
  private twiceUsedConversationRefs = 0;
  /** Conversation ref → user ref → how many times that user lists it. */
  private readonly listers = new Map<string, Map<string, number>>();
  /** User ref → the conversation refs whose record names it as their user. */
  private readonly owned = new Map<string, Set<string>>();
  private readonly misplaced = new Set<string>();

  static of(image: StoreImage): ImageIndex {
    const index = new ImageIndex();
    index.update([], image.users, [], image.conversations);
    return index;
  }

  get clean(): boolean {
    return this.twiceHeldAddresses === 0 && this.twiceHeldExternalIds === 0 && this.twiceUsedUserRefs === 0 && this.twiceUsedConversationRefs === 0 && this.misplaced.size === 0;
  }

  /** The holder of a normalised address (meaningful while no address is held twice). */
  holder(key: string): HeldIdentity | undefined {
    return this.holders.get(key);
  }

  /** The conversation with this ref (the first, if two have it). */
  conversationByRef(ref: string): ResultConversation | undefined {
    return this.conversationRefs.get(ref)?.[0];
  }

  /** Replaces the entries `oldUsers`/`oldConversations` of the image by `newUsers`/`newConversations`. */
  update(oldUsers: readonly ResultUser[], newUsers: readonly ResultUser[], oldConversations: readonly ResultConversation[], newConversations: readonly ResultConversation[]): void {
    const affected = new Set<string>();
    for (const user of oldUsers) this.user(user, -1, affected);
    for (const conversation of oldConversations) this.conversation(conversation, -1, affected);
    for (const user of newUsers) this.user(user, 1, affected);
    for (const conversation of newConversations) this.conversation(conversation, 1, affected);
    for (const ref of affected) {
      if (this.isMisplaced(ref)) this.misplaced.add(ref);
      else this.misplaced.delete(ref);
    }
  }

  private user(user: ResultUser, by: 1 | -1, affected: Set<string>): void {
    for (const email of user.emails) {
      const key = normalise(email.address);
      const count = bump(this.addresses, key, by);
      if (by === 1 && count === 2) this.twiceHeldAddresses++;
      if (by === -1 && count === 1) this.twiceHeldAddresses--;
      if (by === 1 && count === 1) this.holders.set(key, { owner: user.ref, address: email.address, verified: email.verified });
      if (by === -1 && this.holders.get(key)?.owner === user.ref) this.holders.delete(key);
    }
    if (user.externalId !== null) {
      const count = bump(this.externalIds, user.externalId, by);
      if (by === 1 && count === 2) this.twiceHeldExternalIds++;
      if (by === -1 && count === 1) this.twiceHeldExternalIds--;
    }
    const sameRef = this.userRefs.get(user.ref) ?? [];
    const users = by === 1 ? [...sameRef, user] : sameRef.filter((other) => other !== user);
    if (by === 1 && users.length === 2) this.twiceUsedUserRefs++;
    if (by === -1 && users.length === 1 && sameRef.length === 2) this.twiceUsedUserRefs--;
    if (users.length === 0) this.userRefs.delete(user.ref);
    else this.userRefs.set(user.ref, users);
    for (const ref of user.conversations) {
      const listers = this.listers.get(ref) ?? new Map<string, number>();
      bump(listers, user.ref, by);
      if (listers.size === 0) this.listers.delete(ref);
      else this.listers.set(ref, listers);
      affected.add(ref);
    }
    for (const ref of this.owned.get(user.ref) ?? []) affected.add(ref);
  }

  private conversation(conversation: ResultConversation, by: 1 | -1, affected: Set<string>): void {
    const sameRef = this.conversationRefs.get(conversation.ref) ?? [];
    const conversations = by === 1 ? [...sameRef, conversation] : sameRef.filter((other) => other !== conversation);
    if (by === 1 && conversations.length === 2) this.twiceUsedConversationRefs++;
    if (by === -1 && conversations.length === 1 && sameRef.length === 2) this.twiceUsedConversationRefs--;
    if (conversations.length === 0) this.conversationRefs.delete(conversation.ref);
    else this.conversationRefs.set(conversation.ref, conversations);
    const owned = this.owned.get(conversation.user) ?? new Set<string>();
    if (by === 1) owned.add(conversation.ref);
    else if (!conversations.some((other) => other.user === conversation.user)) owned.delete(conversation.ref);
    if (owned.size === 0) this.owned.delete(conversation.user);
    else this.owned.set(conversation.user, owned);
    affected.add(conversation.ref);
  }

  /** INV-EVERY-CONVERSATION for one ref, as `everyConversation` judges it (with unique refs). */
  private isMisplaced(ref: string): boolean {
    const conversations = this.conversationRefs.get(ref) ?? [];
    const listers = this.listers.get(ref);
    if (conversations.length === 0) return listers !== undefined;
    if (conversations.length > 1) return true;
    const conversation = conversations[0] as ResultConversation;
    const owners = this.userRefs.get(conversation.user) ?? [];
    if (owners.length !== 1 || (owners[0] as ResultUser).mergedInto !== undefined) return true;
    return listers === undefined || listers.size !== 1 || listers.get(conversation.user) !== 1;
  }
}

/**
 * The image of an engine's store, kept up to date from its change feed. `advance()` after an event
 * gives the image after it with the delta; `commit` makes that the current image.
 */
export class ImageTracker {
  private users: ResultUser[];
  private conversations: ResultConversation[];
  /** Store id → position in the image, and the ref each id had. */
  private readonly userAt = new Map<number, number>();
  private readonly userIds: number[] = [];
  private readonly conversationAt = new Map<number, number>();
  private readonly conversationIds: number[] = [];
  private readonly feed: ChangeFeed;
  readonly index: ImageIndex;

  constructor(private readonly engine: Engine) {
    this.feed = engine.store.changeFeed();
    const { users, conversations } = engine.snapshot();
    const { users: userIds, conversations: conversationIds } = engine.store.rowIds();
    this.users = users;
    this.conversations = conversations;
    userIds.forEach((id, position) => {
      this.userAt.set(id, position);
      this.userIds.push(id);
    });
    conversationIds.forEach((id, position) => {
      this.conversationAt.set(id, position);
      this.conversationIds.push(id);
    });
    this.index = ImageIndex.of(this.image);
  }

  get image(): StoreImage {
    return { users: this.users, conversations: this.conversations };
  }

  /**
   * The image after what the store did since the last call, and what changed. Throws
   * IncrementalImageError when the change cannot be followed entry by entry (a user or conversation
   * removed, or a user's ref changed: other entries name users by ref).
   */
  advance(): { image: StoreImage; delta: Pick<StepDelta, 'usersBefore' | 'usersAfter' | 'conversationsBefore' | 'conversationsAfter'>; apply: () => void } {
    const { users: userIds, conversations: conversationIds } = this.feed.take();
    const users = userIds.length > 0 ? this.users.slice() : this.users;
    const conversations = conversationIds.length > 0 ? this.conversations.slice() : this.conversations;
    const usersBefore: ResultUser[] = [];
    const usersAfter: ResultUser[] = [];
    const appendedUsers: { id: number; record: ResultUser }[] = [];
    for (const id of userIds.sort((a, b) => a - b)) {
      const record = this.engine.store.userRecord(id);
      const position = this.userAt.get(id);
      if (record === undefined) {
        if (position === undefined) continue; // created and gone again within the event
        throw new IncrementalImageError(`user id ${id} was removed`);
      }
      if (position === undefined) {
        appendedUsers.push({ id, record });
        continue;
      }
      const old = users[position] as ResultUser;
      if (old.ref !== record.ref) throw new IncrementalImageError(`user ${old.ref} changed its ref to ${record.ref}`);
      users[position] = record;
      usersBefore.push(old);
      usersAfter.push(record);
    }
    const lastUserId = this.userIds.at(-1) ?? 0;
    if (appendedUsers.some(({ id }) => id < lastUserId)) throw new IncrementalImageError('a user took the id of an earlier one');
    for (const { record } of appendedUsers) {
      users.push(record);
      usersAfter.push(record);
    }
    const conversationsBefore: ResultConversation[] = [];
    const conversationsAfter: ResultConversation[] = [];
    const appendedConversations: { id: number; record: ResultConversation }[] = [];
    for (const id of conversationIds.sort((a, b) => a - b)) {
      const record = this.engine.store.conversationRecord(id);
      const position = this.conversationAt.get(id);
      if (record === undefined) {
        if (position === undefined) continue;
        throw new IncrementalImageError(`conversation id ${id} was removed`);
      }
      if (position === undefined) {
        appendedConversations.push({ id, record });
        continue;
      }
      const old = conversations[position] as ResultConversation;
      conversations[position] = record;
      conversationsBefore.push(old);
      conversationsAfter.push(record);
    }
    const lastConversationId = this.conversationIds.at(-1) ?? 0;
    if (appendedConversations.some(({ id }) => id < lastConversationId)) throw new IncrementalImageError('a conversation took the id of an earlier one');
    for (const { record } of appendedConversations) {
      conversations.push(record);
      conversationsAfter.push(record);
    }
    const image = { users, conversations };
    const delta = { usersBefore, usersAfter, conversationsBefore, conversationsAfter };
    const apply = () => {
      for (const { id } of appendedUsers) {
        this.userAt.set(id, this.userIds.length);
        this.userIds.push(id);
      }
      for (const { id } of appendedConversations) {
        this.conversationAt.set(id, this.conversationIds.length);
        this.conversationIds.push(id);
      }
      this.users = users;
      this.conversations = conversations;
      this.index.update(usersBefore, usersAfter, conversationsBefore, conversationsAfter);
    };
    return { image, delta, apply };
  }

  /**
   * `advance()` applied: the image after the event and its delta. The delta's lookups read this
   * tracker's index, so they hold until the next call.
   */
  next(): { image: StoreImage; delta: StepDelta } {
    const cleanBefore = this.index.clean;
    const { image, delta, apply } = this.advance();
    apply();
    const index = this.index;
    const changed = new Set<string>();
    const heldBefore = new Map<string, HeldIdentity>();
    for (const user of delta.usersBefore) {
      changed.add(user.ref);
      for (const email of user.emails) {
        const key = normalise(email.address);
        if (!heldBefore.has(key)) heldBefore.set(key, { owner: user.ref, address: email.address, verified: email.verified });
      }
    }
    for (const user of delta.usersAfter) changed.add(user.ref);
    return {
      image,
      delta: {
        ...delta,
        clean: cleanBefore && index.clean,
        // With clean images an address held before by a user the event did not change is held by it after too.
        holderBefore: (key) => {
          const held = heldBefore.get(key);
          if (held !== undefined) return held;
          const now = index.holder(key);
          return now !== undefined && !changed.has(now.owner) ? now : undefined;
        },
        holderAfter: (key) => index.holder(key),
        conversationAfter: (ref) => index.conversationByRef(ref),
      },
    };
  }

  /** After a rollback to before the last `advance()`: the feed is as it was then; nothing to undo here. */
  discard(): void {
    this.feed.take();
  }
}

/** The store changed in a way the tracker does not follow entry by entry: trace it whole instead. */
export class IncrementalImageError extends Error {}
