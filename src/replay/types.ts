import type { RejectionCode } from '../errors';
import type { RuleId } from '../policy/rules';
import type { Settings } from '../policy/settings';

/** The scenario document of `replay.md` (input), after validation. */
export interface Scenario {
  readonly title?: string;
  readonly description?: string;
  readonly settings: Settings;
  readonly now?: string;
  readonly keys?: readonly KeyConfig[];
  readonly users?: readonly ScenarioUser[];
  readonly events: readonly ScenarioEvent[];
}

export interface KeyConfig {
  readonly kid: string;
  /** The UTF-8 encoding of this string is the HMAC secret; never base64-decoded. */
  readonly secret: string;
}

export interface ScenarioEmail {
  readonly address: string;
  readonly verified: boolean;
}

export interface ScenarioUser {
  readonly ref: string;
  readonly name?: string | null;
  readonly externalId?: string | null;
  readonly emails?: readonly ScenarioEmail[];
}

export type JsonObject = { readonly [member: string]: unknown };

export interface VisitorEvent {
  readonly ref: string;
  readonly type: 'visitor';
  readonly name?: string | null;
  readonly email?: string | null;
}

/** Exactly one of `claims` / `token`; `kid` and `header` only with `claims`. */
export interface TokenSource {
  readonly claims?: JsonObject;
  readonly token?: string;
  readonly kid?: string;
  readonly header?: JsonObject;
}

export interface SignedInEvent extends TokenSource {
  readonly ref: string;
  readonly type: 'signed-in';
}

export interface LoginEvent extends TokenSource {
  readonly ref: string;
  readonly type: 'login';
  /** The ref of an earlier visitor event. */
  readonly conversation: string;
}

export interface MergeEvent {
  readonly ref: string;
  readonly type: 'merge';
  readonly from: string;
  readonly into: string;
}

export interface SettingsEvent extends Settings {
  readonly ref: string;
  readonly type: 'settings';
}

export type ScenarioEvent = VisitorEvent | SignedInEvent | LoginEvent | MergeEvent | SettingsEvent;

/** The result document of `replay.md` (output). Member order here is the order printed. */
export type Outcome = 'joined' | 'created' | 'upgraded' | 'merged' | 'applied' | 'rejected';

export type Flag = 'email-conflict' | 'invalid-email' | 'risk-anonymous-claim';

export interface EventResult {
  readonly ref: string;
  readonly outcome: Outcome;
  readonly rule: RuleId;
  readonly user: string | null;
  readonly flags: readonly Flag[];
  readonly error?: { readonly code: RejectionCode; readonly message: string };
}

export interface ResultUser {
  readonly ref: string;
  readonly externalId: string | null;
  readonly name: string | null;
  readonly emails: readonly ScenarioEmail[];
  readonly conversations: readonly string[];
  readonly mergedInto?: string;
}

export interface ResultConversation {
  readonly ref: string;
  readonly user: string;
  readonly authenticated: boolean;
  readonly typedEmail: string | null;
}

export interface ReplayResult {
  readonly settings: Settings;
  readonly results: readonly EventResult[];
  readonly users: readonly ResultUser[];
  readonly conversations: readonly ResultConversation[];
}
