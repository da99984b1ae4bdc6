import fc from 'fast-check';
import type { ScenarioUser } from '../../src/replay/types';
import { ADDRESSES, EXTERNAL_IDS, PEOPLE, spelling } from './values';

/**
 * Starting users: up to three (p1, p2, p3), each with or without a name and an external id, holding
 * some of the pool's addresses (any spelling variant), verified or not. Valid stores only: each address
 * goes to at most one user (`owner`), and a second user drawing an external id already taken gets none.
 */
export interface UsersSpec {
  readonly count: number;
  readonly people: readonly { readonly name: number | null; readonly externalId: number | null }[];
  readonly addresses: readonly { readonly owner: number; readonly variant: number; readonly verified: boolean }[];
}

export function usersSpecArb(maxUsers = 3): fc.Arbitrary<UsersSpec> {
  const person = fc.record({
    name: fc.option(fc.nat(PEOPLE.length - 1), { nil: null }),
    externalId: fc.option(fc.nat(EXTERNAL_IDS.length - 1), { nil: null, freq: 2 }),
  });
  // owner 0: nobody holds the address (what shrinking goes to); owner k: user k.
  const address = fc.record({ owner: fc.nat(maxUsers), variant: fc.nat(2), verified: fc.boolean() });
  return fc.record({
    count: fc.integer({ min: 0, max: maxUsers }),
    people: fc.array(person, { minLength: maxUsers, maxLength: maxUsers }),
    addresses: fc.array(address, { minLength: ADDRESSES.length, maxLength: ADDRESSES.length }),
  });
}

export function buildUsers(spec: UsersSpec): ScenarioUser[] {
  const takenIds = new Set<string>();
  const users = spec.people.slice(0, spec.count).map((person, i) => {
    let externalId: string | null = person.externalId === null ? null : (EXTERNAL_IDS[person.externalId] as string);
    if (externalId !== null && takenIds.has(externalId)) externalId = null;
    if (externalId !== null) takenIds.add(externalId);
    return {
      ref: `p${i + 1}`,
      name: person.name === null ? null : (PEOPLE[person.name] as string),
      externalId,
      emails: [] as { address: string; verified: boolean }[],
    };
  });
  spec.addresses.forEach((address, i) => {
    const owner = users[address.owner - 1];
    if (owner !== undefined) owner.emails.push({ address: spelling(i, address.variant), verified: address.verified });
  });
  return users;
}

export function startingUsersArb(maxUsers = 3): fc.Arbitrary<ScenarioUser[]> {
  return usersSpecArb(maxUsers).map(buildUsers);
}
