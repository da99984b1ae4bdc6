import type { Settings, SettingId } from './settings';
import type { EmailEntry } from './vocabulary';

/**
 * What an accepted event was decided from, as the store's event log records it (schema v2): enough to
 * decide the store's history again, from the empty store, under another setting or reading profile
 * (`what-if --db`, the concurrency check's serial replay). Never a token: the claims jose verified.
 */
export interface ClaimsInput {
  readonly externalId: string;
  /** Absent when the JWT has no `name`. */
  readonly name?: string;
  /** The `email` claim as given (a usable address: an unusable one made the token invalid). */
  readonly email?: string;
  readonly emailVerified: boolean;
}

/** A user as a scenario's `users` or an import row gives it. */
export interface UserInput {
  readonly externalId: string | null;
  readonly name: string | null;
  readonly emails: readonly EmailEntry[];
}

export type EventInput =
  | { readonly type: 'visitor'; readonly name: string | null; readonly email: string | null }
  | { readonly type: 'signed-in'; readonly claims: ClaimsInput }
  | { readonly type: 'login'; readonly conversation: string; readonly claims: ClaimsInput }
  | { readonly type: 'merge'; readonly from: string; readonly into: string }
  | { readonly type: 'settings'; readonly settings: Settings }
  | {
      readonly type: 'import';
      readonly batch: string;
      /** Where the row starts in its file: a CSV record's line (column null), a JSON element's line and column. */
      readonly line: number;
      readonly column: number | null;
      readonly row: UserInput;
    };

export type EventType = EventInput['type'];

/** One entry of the event log: the event, the setting in force when it was decided, and its input. */
export interface LoggedEvent {
  readonly seq: number;
  readonly ref: string;
  readonly setting: SettingId;
  readonly input: EventInput;
}
