import type {
  ConversationRecord,
  EmailEntry,
  EventResult,
  Flag,
  JsonObject,
  KeyConfig,
  Outcome,
  Settings,
  UserRecord,
} from '../domain';

/**
 * The two documents of `replay.md` (scenario in, result out): the protocol every target speaks. Their
 * JSON Schemas are in ./schema; the vocabulary they share with the engine comes from src/domain.
 */
export type { EventResult, Flag, JsonObject, KeyConfig, Outcome };
export type ScenarioEmail = EmailEntry;
export type ResultUser = UserRecord;
export type ResultConversation = ConversationRecord;

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

export interface ScenarioUser {
  readonly ref: string;
  readonly name?: string | null;
  readonly externalId?: string | null;
  readonly emails?: readonly ScenarioEmail[];
}

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

export interface ReplayResult {
  readonly settings: Settings;
  readonly results: readonly EventResult[];
  readonly users: readonly ResultUser[];
  readonly conversations: readonly ResultConversation[];
}
