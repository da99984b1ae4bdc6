import type { VerifiedClaims } from '../identity/token';
import { DEFAULT_PROFILE, type Decision, type ReadingProfile, type SettingId, type StoreReader } from '../domain';
import { resolveSignedIn } from './auth';
import { rejected } from './decision';

/** A new conversation of a signed-in customer whose JWT has been verified, under reading `profile`. */
export function decideSignedIn(reader: StoreReader, setting: SettingId, claims: VerifiedClaims, profile: ReadingProfile = DEFAULT_PROFILE): Decision {
  const resolution = resolveSignedIn(reader, setting, claims, profile);
  if (resolution.conflict !== undefined) return rejected(resolution.rule, 'conflict', resolution.conflict);
  const user = resolution.target ? resolution.target.id : 'new';
  return {
    rule: resolution.rule,
    outcome: resolution.target ? 'joined' : 'created',
    flags: resolution.flags,
    user,
    effects: [...resolution.effects, { op: 'open-conversation', user, authenticated: true, typedEmail: null }],
  };
}
