import type { VerifiedClaims } from '../identity/token';
import { afterMerge, emailStep, mustUser, resolveSignedIn } from './auth';
import { DEFAULT_PROFILE, type ConversationFacts, type Decision, type Effect, type ReadingProfile, type SettingId, type StoreReader } from '../domain';
import { rejected } from './decision';
import { LOGIN_TABLE, PROFILE_TABLE, type StepOneResolution } from './table';

/**
 * A visitor signs in during conversation `conversation` (`flows.md`, the two-step login decision).
 * Step 1 reads the JWT as a new signed-in conversation; a conflict rejects the login and nothing
 * changes. Step 2 picks the LOGIN rule by the conversation's current user. `profile` is the reading of
 * the disputed situations (PROFILE_TABLE).
 */
export function decideLogin(
  reader: StoreReader,
  setting: SettingId,
  conversation: ConversationFacts,
  claims: VerifiedClaims,
  profile: ReadingProfile = DEFAULT_PROFILE,
): Decision {
  const step1 = resolveSignedIn(reader, setting, claims, profile);
  if (step1.conflict !== undefined) return rejected(step1.rule, 'conflict', step1.conflict);

  const current = mustUser(reader, conversation.userId);
  // "Created for this conversation": the user the visitor event itself created, not merged away.
  const ownAnonymous = current.ref === `new:${conversation.ref}` && current.mergedInto === null && current.externalId === null;
  const resolution: StepOneResolution =
    step1.target === null ? 'creates' : step1.target.id === current.id ? 'resolves-current' : 'resolves-other';
  const { rule } = LOGIN_TABLE[ownAnonymous ? 'own-anonymous-user' : 'any-other-user'][resolution];
  const authenticate: Effect = { op: 'authenticate-conversation', conversation: conversation.id };

  switch (rule) {
    case 'LOGIN-UPGRADE': {
      const effects: Effect[] = [{ op: 'set-external-id', user: current.id, externalId: claims.externalId }];
      if (claims.name !== undefined) effects.push({ op: 'set-name', user: current.id, name: claims.name });
      const step = emailStep(reader, setting, current, claims, step1.upgradeEmail);
      return { rule, outcome: 'upgraded', flags: step.flags, user: current.id, effects: [...effects, ...step.effects, authenticate] };
    }
    case 'LOGIN-MERGE': {
      const into = step1.target!;
      const effects: Effect[] = [];
      // Step 1 was AUTH-ADOPT: the verified holder takes the external id before the merge.
      if (into.externalId === null) effects.push({ op: 'set-external-id', user: into.id, externalId: claims.externalId });
      effects.push({ op: 'merge-user', from: current.id, into: into.id });
      const step = emailStep(afterMerge(reader, current.id, into.id), setting, into, claims);
      return { rule, outcome: 'merged', flags: step.flags, user: into.id, effects: [...effects, ...step.effects, authenticate] };
    }
    default: {
      // LOGIN-MOVE: step 1's AUTH rule with all its effects; only this conversation moves.
      const user = step1.target ? step1.target.id : 'new';
      const effects: Effect[] = [...step1.effects];
      // The doc reading merges the current user into the signed-in one, as ADMIN-MERGE would. After step 1
      // the signed-in user has the JWT's external id, so ADMIN-MERGE refuses only when the current user has one too.
      if (PROFILE_TABLE[profile].loginMove === 'merge-user' && user !== current.id && current.externalId === null) {
        effects.push({ op: 'merge-user', from: current.id, into: user }, authenticate);
        // "less email-conflict when the merge brought that address to T": the current user held it.
        const broughtAlong = claims.email !== undefined && reader.identityByNormalised(claims.email.normalised)?.userId === current.id;
        const flags = broughtAlong ? step1.flags.filter((flag) => flag !== 'email-conflict') : step1.flags;
        return { rule, outcome: 'merged', flags, user, effects };
      }
      if (user !== current.id) effects.push({ op: 'move-conversation', conversation: conversation.id, user });
      effects.push(authenticate);
      return { rule, outcome: step1.target ? 'joined' : 'created', flags: step1.flags, user, effects };
    }
  }
}
