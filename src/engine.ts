import { InvalidArgumentError } from './errors';
import { parseAddress, trimSpaces } from './identity/email';
import { quote } from './quote';
import { DEFAULT_KEYS } from './identity/keys';
import { TokenVerifier, type TokenVerdict, type VerifiedClaims } from './identity/token';
import { decideMerge, decideSwitch } from './policy/admin';
import { decideLogin } from './policy/login';
import { decideSignedIn } from './policy/signed-in';
import { decideVisitor, type VisitorInput } from './policy/visitor';
import {
  DEFAULT_PROFILE,
  settingIdOf,
  type ClaimsInput,
  type Decision,
  type EventInput,
  type EventResult,
  type KeyConfig,
  type ReadingProfile,
  type SettingId,
  type Settings,
} from './domain';
import type { OpenMode } from './store/open';
import { Store, type IdentityCounts, type Snapshot, type StartingUser } from './store/store';

export interface EngineOptions {
  /** A database file (WAL mode); in memory when absent. */
  readonly path?: string;
  /** How to open `path` (store/open.ts); default `open-or-create`. */
  readonly mode?: OpenMode;
  /** How long a write may wait for another process's lock before giving up (default 30 s). */
  readonly busyTimeoutMs?: number;
  /** The settings of a new store; an existing store keeps its own. */
  readonly settings: Settings;
  /** Signing keys, imported once when the engine opens. Default: the scenario default key. */
  readonly keys?: readonly KeyConfig[];
  /** The clock for token checks, in whole epoch seconds. Default: the wall clock. */
  readonly now?: () => number;
  /**
   * The reading profile of `flows.md` (default `reference`); a store file keeps the one it was created
   * under (`stored`: open an existing store under its own).
   */
  readonly profile?: ReadingProfile | 'stored';
}

/**
 * The reference engine: one method per kind of event. Each accepted event is one SQLite transaction
 * (decide, then apply, then log); a rejected event writes nothing. Tokens are verified before the
 * transaction opens, so the synchronous transaction never waits on crypto.
 */
export class Engine {
  private constructor(
    readonly store: Store,
    readonly profile: ReadingProfile,
    private readonly verifier: TokenVerifier,
    private readonly now: () => number,
  ) {}

  static async open(options: EngineOptions): Promise<Engine> {
    settingIdOf(options.settings);
    const verifier = await TokenVerifier.create(options.keys ?? DEFAULT_KEYS);
    const store = Store.open({ path: options.path, mode: options.mode, settings: options.settings, profile: options.profile ?? DEFAULT_PROFILE, busyTimeoutMs: options.busyTimeoutMs });
    return new Engine(store, store.profile(), verifier, options.now ?? (() => Math.floor(Date.now() / 1000)));
  }

  close(): void {
    this.store.close();
  }

  /** The setting in force: read from the store (one indexed row), so a rolled-back switch is undone too. */
  get settingId(): SettingId {
    return settingIdOf(this.store.settings());
  }

  /**
   * Starting users, all in one transaction. They must satisfy the invariants; the database refuses
   * otherwise. An address is stored as given without its surrounding spaces (`replay.md`: "the spelling
   * the identity was created with (trimmed)").
   */
  addUsers(users: readonly StartingUser[]): void {
    this.store.transaction(() => {
      for (const user of users) {
        if (user.ref.startsWith('new:')) throw new InvalidArgumentError(`a starting user's ref cannot begin with "new:" (${user.ref})`);
        const emails = user.emails?.map((email) => ({ address: trimSpaces(email.address), verified: email.verified }));
        this.store.insertUser(emails === undefined ? user : { ...user, emails });
      }
    });
  }

  visitor(ref: string, visitor: VisitorInput): EventResult {
    return this.applyInput(ref, { type: 'visitor', name: visitor.name ?? null, email: visitor.email ?? null });
  }

  async signedIn(ref: string, token: string): Promise<EventResult> {
    const verdict = await this.verify(token);
    if (!('claims' in verdict)) return invalidToken(ref, verdict);
    return this.applyInput(ref, { type: 'signed-in', claims: claimsInput(verdict.claims) });
  }

  /** The visitor of conversation `conversationRef` signs in. */
  async login(ref: string, conversationRef: string, token: string): Promise<EventResult> {
    const verdict = await this.verify(token);
    if (!('claims' in verdict)) return invalidToken(ref, verdict);
    return this.applyInput(ref, { type: 'login', conversation: conversationRef, claims: claimsInput(verdict.claims) });
  }

  merge(ref: string, fromRef: string, intoRef: string): EventResult {
    return this.applyInput(ref, { type: 'merge', from: fromRef, into: intoRef });
  }

  switchSettings(ref: string, settings: Settings): EventResult {
    return this.applyInput(ref, { type: 'settings', settings });
  }

  /**
   * Decides and applies event `ref` from its input, a token's claims already verified: the one place
   * where each kind of event meets its policy. The methods above come here, and so does a logged
   * input decided again (`what-if --db`).
   */
  applyInput(ref: string, input: ConversationOrAdminInput): EventResult {
    return this.run(ref, input, (setting) => {
      switch (input.type) {
        case 'visitor':
          return decideVisitor(this.store, setting, { name: input.name, email: input.email });
        case 'signed-in':
          return decideSignedIn(this.store, setting, verifiedClaimsOf(input.claims), this.profile);
        case 'login': {
          const conversation = this.store.conversationByRef(input.conversation);
          if (conversation === undefined) throw new InvalidArgumentError(`no conversation "${input.conversation}" to sign in to`);
          return decideLogin(this.store, setting, conversation, verifiedClaimsOf(input.claims), this.profile);
        }
        case 'merge':
          return decideMerge(this.store, input.from, input.into);
        case 'settings':
          return decideSwitch(input.settings);
      }
    });
  }

  snapshot(): Snapshot {
    return this.store.snapshot();
  }

  counts(): IdentityCounts {
    return this.store.counts();
  }

  /**
   * Starts verifying a token that an event will bring soon (the replay runner reads ahead), so that the
   * event finds jose's verdict ready in the memo instead of waiting for it. Writes nothing; the event
   * still takes the verdict before its transaction opens.
   */
  verifyAhead(token: string): void {
    this.verify(token).catch(() => undefined);
  }

  /** jose's verdict on the token (remembered for the same token, keys and second): claims, or why it is refused. */
  private verify(token: string): Promise<TokenVerdict> {
    return this.verifier.verdict(token, this.now());
  }

  /** Decides and applies one event in one transaction, under the setting in force as the transaction reads it. */
  private run(ref: string, input: EventInput, decide: (setting: SettingId) => Decision): EventResult {
    return this.store.transaction(() => {
      const logged = this.store.loggedType(ref);
      if (logged !== undefined) {
        throw new InvalidArgumentError(`${quote(ref)} is already the ref of ${/^[aeiou]/.test(logged) ? 'an' : 'a'} ${logged} event in the store's log; each event is applied once`);
      }
      const setting = this.settingId;
      const decision = decide(setting);
      const user = this.store.apply(ref, input, setting, decision);
      const result: EventResult = { ref, outcome: decision.outcome, rule: decision.rule, user, flags: decision.flags };
      return decision.rejection ? { ...result, error: decision.rejection } : result;
    });
  }
}

function invalidToken(ref: string, refusal: { readonly message: string }): EventResult {
  return { ref, outcome: 'rejected', rule: 'AUTH-INVALID-TOKEN', user: null, flags: [], error: { code: 'invalid-token', message: refusal.message } };
}

/** Every event input but an import row (imports are decided row by row by src/admin/import). */
export type ConversationOrAdminInput = Exclude<EventInput, { readonly type: 'import' }>;

/** What the event log keeps of a verified token: its claims, never the token. */
function claimsInput(claims: VerifiedClaims): ClaimsInput {
  const input: { -readonly [K in keyof ClaimsInput]: ClaimsInput[K] } = { externalId: claims.externalId, emailVerified: claims.emailVerified };
  if (claims.name !== undefined) input.name = claims.name;
  if (claims.email !== undefined) input.email = claims.email.raw;
  return input;
}

/** The claims a logged input keeps, as the policy reads them: the inverse of claimsInput. */
export function verifiedClaimsOf(input: ClaimsInput): VerifiedClaims {
  const claims: { -readonly [K in keyof VerifiedClaims]: VerifiedClaims[K] } = { externalId: input.externalId, emailVerified: input.emailVerified };
  if (input.name !== undefined) claims.name = input.name;
  if (input.email !== undefined) {
    const parsed = parseAddress(input.email);
    // A token whose email is not usable was refused, so a logged one always is.
    if (!parsed.usable) throw new InvalidArgumentError(`logged claim "email" is not a usable address (${parsed.problem})`);
    claims.email = { raw: input.email, address: parsed.address, normalised: parsed.normalised };
  }
  return claims;
}
