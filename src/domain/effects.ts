import type { RejectionCode } from '../errors';
import type { RuleId } from './rules';
import type { Settings } from './settings';
import type { Flag, Outcome } from './vocabulary';

/**
 * The contract between the policy, which decides, and the store, which persists: the facts the policy
 * may read of the store, and the writes (effects) it asks for. The policy never writes and never sees
 * SQL; the store implements StoreReader with prepared statements and applies a Decision's effects in order.
 */

export interface UserFacts {
  readonly id: number;
  readonly ref: string;
  readonly name: string | null;
  readonly externalId: string | null;
  readonly mergedInto: number | null;
}

export interface IdentityFacts {
  readonly id: number;
  readonly userId: number;
  readonly address: string;
  readonly verified: boolean;
}

export interface ConversationFacts {
  readonly id: number;
  readonly ref: string;
  readonly userId: number;
}

export interface StoreReader {
  userById(id: number): UserFacts | undefined;
  userByRef(ref: string): UserFacts | undefined;
  userByExternalId(externalId: string): UserFacts | undefined;
  /** The identity whose normalised address is `normalised`, whoever holds it. */
  identityByNormalised(normalised: string): IdentityFacts | undefined;
  hasIdentities(userId: number): boolean;
  conversationByRef(ref: string): ConversationFacts | undefined;
}

/** A user an effect applies to: an existing one by id, or the one this event creates. */
export type UserHandle = number | 'new';

/** One write, applied by the store in order, inside the event's transaction. */
export type Effect =
  | { readonly op: 'create-user'; readonly externalId: string | null; readonly name: string | null }
  | { readonly op: 'add-identity'; readonly user: UserHandle; readonly address: string; readonly verified: boolean }
  | { readonly op: 'remove-identity'; readonly identity: number }
  /**
   * The `seed` reading only (`flows.md`, "Other readings"): a sign-in takes a verified identity from its
   * holder. The database allows it only in a store created under that profile, for this identity.
   */
  | { readonly op: 'remove-verified-identity'; readonly identity: number }
  | { readonly op: 'verify-identity'; readonly identity: number }
  | { readonly op: 'set-external-id'; readonly user: UserHandle; readonly externalId: string }
  | { readonly op: 'set-name'; readonly user: UserHandle; readonly name: string }
  | { readonly op: 'merge-user'; readonly from: number; readonly into: UserHandle }
  | { readonly op: 'open-conversation'; readonly user: UserHandle; readonly authenticated: boolean; readonly typedEmail: string | null }
  | { readonly op: 'move-conversation'; readonly conversation: number; readonly user: UserHandle }
  | { readonly op: 'authenticate-conversation'; readonly conversation: number }
  | { readonly op: 'set-settings'; readonly settings: Settings };

export type EffectOp = Effect['op'];

/** The policy's answer for one event: the rule that decided, the outcome, the flags and the writes. */
export interface Decision {
  readonly rule: RuleId;
  readonly outcome: Outcome;
  /** Sorted, each at most once. */
  readonly flags: readonly Flag[];
  /** The user the result names: where the conversation now is, the merge target, or null. */
  readonly user: UserHandle | null;
  readonly effects: readonly Effect[];
  readonly rejection?: { readonly code: RejectionCode; readonly message: string };
}
