import type { RejectionCode } from '../errors';
import type { RuleId } from './rules';

/** The words of `flows.md` and `replay.md` that every layer shares. */

/** What happened to an event (`replay.md`, Result). */
export type Outcome = 'joined' | 'created' | 'upgraded' | 'merged' | 'applied' | 'rejected';

export const OUTCOMES: readonly Outcome[] = ['joined', 'created', 'upgraded', 'merged', 'applied', 'rejected'];

/** A result's flags, each at most once, sorted. */
export type Flag = 'email-conflict' | 'invalid-email' | 'risk-anonymous-claim';

export const FLAGS: readonly Flag[] = ['email-conflict', 'invalid-email', 'risk-anonymous-claim'];

/** An email identity: an address (as first given, trimmed) and whether it is verified. */
export interface EmailEntry {
  readonly address: string;
  readonly verified: boolean;
}

/** A signing key the engine knows: the UTF-8 encoding of `secret` is the HMAC secret, never base64-decoded. */
export interface KeyConfig {
  readonly kid: string;
  readonly secret: string;
}

/** Any JSON object (claims, a token header). */
export type JsonObject = { readonly [member: string]: unknown };

/** A user as the store lists it (the `users` entries of a replay result). */
export interface UserRecord {
  readonly ref: string;
  readonly externalId: string | null;
  readonly name: string | null;
  readonly emails: readonly EmailEntry[];
  readonly conversations: readonly string[];
  readonly mergedInto?: string;
}

/** A conversation as the store lists it (the `conversations` entries of a replay result). */
export interface ConversationRecord {
  readonly ref: string;
  readonly user: string;
  readonly authenticated: boolean;
  readonly typedEmail: string | null;
}

/** The result of one event (`replay.md`, `results` entries): the engine's answer to every event. */
export interface EventResult {
  readonly ref: string;
  readonly outcome: Outcome;
  readonly rule: RuleId;
  readonly user: string | null;
  readonly flags: readonly Flag[];
  readonly error?: { readonly code: RejectionCode; readonly message: string };
}
