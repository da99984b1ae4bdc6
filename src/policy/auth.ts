import type { VerifiedClaims } from '../identity/token';
import {
  DEFAULT_PROFILE,
  type Effect,
  type Flag,
  type IdentityFacts,
  type ReadingProfile,
  type RuleId,
  type SettingId,
  type StoreReader,
  type UserFacts,
  type UserHandle,
} from '../domain';
import {
  KNOWN_CUSTOMER_TABLE,
  NEW_CUSTOMER_TABLE,
  PROFILE_TABLE,
  UNVERIFIED_CLAIM_KEEPS_ADDRESS,
  type EmailAction,
  type KnownCell,
  type KnownSituation,
  type UnknownSituation,
} from './table';

type VerifiedEmail = NonNullable<VerifiedClaims['email']>;

/**
 * A verified JWT read as a new signed-in conversation against the store as it stands (`flows.md`,
 * "Which rule decides a signed-in event"). Used for signed-in events and as step 1 of a login.
 */
export interface AuthResolution {
  readonly rule: RuleId;
  /** The existing user the JWT resolves, or null when it creates one (or is rejected). */
  readonly target: UserFacts | null;
  readonly flags: readonly Flag[];
  /** Every write except the conversation's own (open or move); the created user is `'new'`. */
  readonly effects: readonly Effect[];
  readonly conflict?: string;
  /** The email step of a LOGIN-UPGRADE after this resolution, where a reading profile changes it. */
  readonly upgradeEmail?: EmailStepCells;
}

/** Cells of the email step that replace KNOWN_CUSTOMER_TABLE's. */
export type EmailStepCells = Partial<Readonly<Record<KnownSituation, KnownCell>>>;

/**
 * `profile` (default `reference`) is the reading of `flows.md` that decides the disputed situations
 * (PROFILE_TABLE); the store it reads must have been created under it.
 */
export function resolveSignedIn(reader: StoreReader, setting: SettingId, claims: VerifiedClaims, profile: ReadingProfile = DEFAULT_PROFILE): AuthResolution {
  const known = reader.userByExternalId(claims.externalId);
  const email = claims.email;

  if (email === undefined || !claims.emailVerified) {
    // AUTH-NO-EMAIL / AUTH-UNVERIFIED-CLAIM: the external id alone resolves the customer (P1, P4).
    const rule: RuleId = email === undefined ? 'AUTH-NO-EMAIL' : 'AUTH-UNVERIFIED-CLAIM';
    const user: UserHandle = known ? known.id : 'new';
    const effects: Effect[] = known ? [] : [createUser(claims)];
    if (email !== undefined) effects.push(...keepUnverifiedAddress(reader, setting, user, email));
    return { rule, target: known ?? null, flags: [], effects };
  }

  const holder = reader.identityByNormalised(email.normalised);
  if (known) {
    const cell = KNOWN_CUSTOMER_TABLE[classifyKnown(reader, known, holder)];
    return { rule: cell.rule, target: known, flags: cell.flags, effects: emailEffects(cell.email, known.id, email, holder) };
  }

  const holderUser = holder ? mustUser(reader, holder.userId) : undefined;
  const situation = classifyUnknown(holder, holderUser);
  const cell = PROFILE_TABLE[profile].newCustomer[situation] ?? NEW_CUSTOMER_TABLE[situation];
  switch (cell.lands) {
    case 'rejected':
      return {
        rule: cell.rule,
        target: null,
        flags: [],
        effects: [],
        conflict: `User already exists: ${email.address} is held verified by a customer with another external id`,
      };
    case 'holder': {
      // AUTH-ADOPT: the verified holder has no external id and becomes this customer (P1).
      const adopted = holderUser as UserFacts;
      return {
        rule: cell.rule,
        target: adopted,
        flags: [],
        effects: [{ op: 'set-external-id', user: adopted.id, externalId: claims.externalId }, ...emailEffects(cell.email, adopted.id, email, holder)],
      };
    }
    case 'new-user': {
      const effects = [createUser(claims), ...emailEffects(cell.email, 'new', email, holder)];
      return cell.upgradeEmail === undefined
        ? { rule: cell.rule, target: null, flags: [], effects }
        : { rule: cell.rule, target: null, flags: [], effects, upgradeEmail: cell.upgradeEmail };
    }
  }
}

export interface EmailStep {
  readonly flags: readonly Flag[];
  readonly effects: readonly Effect[];
}

/**
 * The email step applied to `user` after a login's upgrade or merge: the AUTH-LINK one when the JWT
 * vouches for the address, the AUTH-UNVERIFIED-CLAIM one otherwise, nothing without an email.
 * `reader` must show the store as it will stand when the step runs (see `afterMerge`).
 */
export function emailStep(reader: StoreReader, setting: SettingId, user: UserFacts, claims: VerifiedClaims, cells: EmailStepCells = {}): EmailStep {
  const email = claims.email;
  if (email === undefined) return { flags: [], effects: [] };
  if (!claims.emailVerified) return { flags: [], effects: keepUnverifiedAddress(reader, setting, user.id, email) };
  const holder = reader.identityByNormalised(email.normalised);
  const situation = classifyKnown(reader, user, holder);
  const cell = cells[situation] ?? KNOWN_CUSTOMER_TABLE[situation];
  return { flags: cell.flags, effects: emailEffects(cell.email, user.id, email, holder) };
}

/**
 * The store as it will stand once `from` is merged into `into`: `from`'s identities are `into`'s.
 * Only what the email step reads is mapped.
 */
export function afterMerge(reader: StoreReader, from: number, into: number): StoreReader {
  return {
    userById: (id) => reader.userById(id),
    userByRef: (ref) => reader.userByRef(ref),
    userByExternalId: (externalId) => reader.userByExternalId(externalId),
    conversationByRef: (ref) => reader.conversationByRef(ref),
    identityByNormalised(normalised) {
      const identity = reader.identityByNormalised(normalised);
      return identity && identity.userId === from ? { ...identity, userId: into } : identity;
    },
    hasIdentities: (userId) => reader.hasIdentities(userId) || (userId === into && reader.hasIdentities(from)),
  };
}

function classifyKnown(reader: StoreReader, user: UserFacts, holder: IdentityFacts | undefined): KnownSituation {
  if (holder === undefined) {
    return reader.hasIdentities(user.id) ? 'nobody-holds-user-has-identities' : 'nobody-holds-user-has-no-identity';
  }
  if (holder.userId === user.id) return holder.verified ? 'user-holds-verified' : 'user-holds-unverified';
  return holder.verified ? 'other-holds-verified' : 'other-holds-unverified';
}

function classifyUnknown(holder: IdentityFacts | undefined, holderUser: UserFacts | undefined): UnknownSituation {
  if (holder === undefined) return 'nobody-holds';
  if (!holder.verified) return 'holder-unverified';
  return holderUser?.externalId === null ? 'holder-verified-without-external-id' : 'holder-verified-with-external-id';
}

function emailEffects(action: EmailAction, user: UserHandle, email: VerifiedEmail, holder: IdentityFacts | undefined): Effect[] {
  switch (action) {
    case 'none':
    case 'leave':
      return [];
    case 'verify':
      return [{ op: 'verify-identity', identity: (holder as IdentityFacts).id }];
    case 'add-verified':
      return [{ op: 'add-identity', user, address: email.address, verified: true }];
    case 'take-verified':
      // P2: the verified identity supersedes the unverified copy, which is removed first.
      return [
        { op: 'remove-identity', identity: (holder as IdentityFacts).id },
        { op: 'add-identity', user, address: email.address, verified: true },
      ];
    case 'seize-verified':
      // The seed reading: the holder loses its verified identity; the new one is spelled as in the JWT.
      return [
        { op: 'remove-verified-identity', identity: (holder as IdentityFacts).id },
        { op: 'add-identity', user, address: email.address, verified: true },
      ];
  }
}

/** An address a JWT does not vouch for is kept unverified, outside verified-only, only if nobody holds it. */
function keepUnverifiedAddress(reader: StoreReader, setting: SettingId, user: UserHandle, email: VerifiedEmail): Effect[] {
  if (!UNVERIFIED_CLAIM_KEEPS_ADDRESS[setting]) return [];
  if (reader.identityByNormalised(email.normalised) !== undefined) return [];
  return [{ op: 'add-identity', user, address: email.address, verified: false }];
}

function createUser(claims: VerifiedClaims): Effect {
  return { op: 'create-user', externalId: claims.externalId, name: claims.name ?? null };
}

export function mustUser(reader: StoreReader, id: number): UserFacts {
  const user = reader.userById(id);
  if (user === undefined) throw new Error(`store inconsistency: no user with id ${id}`);
  return user;
}
