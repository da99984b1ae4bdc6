import { strict as assert } from 'node:assert';
import { Then } from '@cucumber/cucumber';
import type { ResultUser } from '../src/replay/types';
import { outcome } from './support/outcome';
import type { ConversationRef } from './support/parameters';
import { decodeEscapes, sameAddress } from './support/text';
import type { IdmatrixWorld } from './support/world';

/**
 * What the scenario text expects, checked on the result document. Every expectation comes from the
 * step's words; nothing here reads the engine's decision tables or rule catalog.
 */

// Where a conversation landed -------------------------------------------------------------------

Then(
  '{conversation} joins {person}',
  outcome(function (conversation: ConversationRef, name: string) {
    const ref = this.conversationRef(conversation);
    assert.equal(this.conversation(ref).user, this.userRefOf(name), `conversation ${ref} is not with ${name}`);
  }),
);

Then(
  '{conversation} goes to a new user',
  outcome(function (conversation: ConversationRef) {
    landsOnNewUser(this, this.conversationRef(conversation));
  }),
);

Then(
  '{conversation} goes to a new user who holds {string} {verification}',
  outcome(function (conversation: ConversationRef, address: string, verified: boolean) {
    const user = landsOnNewUser(this, this.conversationRef(conversation));
    holds(user, decodeEscapes(address), verified);
  }),
);

Then(
  '{conversation} goes to a new user of its own, the address kept on it only',
  outcome(function (conversation: ConversationRef) {
    const ref = this.conversationRef(conversation);
    const user = landsOnNewUser(this, ref);
    keptOnConversationOnly(this, ref, user);
  }),
);

Then(
  '{conversation} joins {person}, marked as an anonymous claim of a verified address',
  outcome(function (conversation: ConversationRef, name: string) {
    const ref = this.conversationRef(conversation);
    assert.equal(this.conversation(ref).user, this.userRefOf(name), `conversation ${ref} is not with ${name}`);
    assert.ok(this.lastResultFor(ref).flags.includes('risk-anonymous-claim'), 'the conversation is not marked as an anonymous claim');
  }),
);

Then(
  'each of {person}\'s conversations has a user of its own',
  outcome(function (name: string) {
    const holders = this.conversationsOf(name).map((ref) => this.conversation(ref).user);
    assert.ok(holders.length > 1, `${name} has fewer than two conversations`);
    assert.equal(new Set(holders).size, holders.length, `${name}'s conversations share a user: ${holders.join(', ')}`);
    holders.forEach((holder, index) => assert.ok(holder.startsWith('new:'), `conversation ${index + 1} is on an existing user ${holder}`));
  }),
);

Then(
  '{person}\'s conversations are all on one user',
  outcome(function (name: string) {
    const holders = this.conversationsOf(name).map((ref) => this.conversation(ref).user);
    assert.ok(holders.length > 1, `${name} has fewer than two conversations`);
    assert.equal(new Set(holders).size, 1, `${name}'s conversations are on several users: ${holders.join(', ')}`);
  }),
);

Then(
  'the address {string} is kept on the conversation only',
  outcome(function (address: string) {
    const ref = this.latestConversation();
    assert.equal(this.conversation(ref).typedEmail, decodeEscapes(address), 'the conversation does not keep the typed address');
    keptOnConversationOnly(this, ref, this.userByRef(this.conversation(ref).user));
  }),
);

Then(
  '{conversation} keeps the typed text {string}',
  outcome(function (conversation: ConversationRef, text: string) {
    const ref = this.conversationRef(conversation);
    assert.equal(this.conversation(ref).typedEmail, decodeEscapes(text));
  }),
);

Then(
  '{conversation} is signed in',
  outcome(function (conversation: ConversationRef) {
    assert.equal(this.conversation(this.conversationRef(conversation)).authenticated, true, 'the conversation is not signed in');
  }),
);

Then(
  '{conversation} is (still )not signed in',
  outcome(function (conversation: ConversationRef) {
    assert.equal(this.conversation(this.conversationRef(conversation)).authenticated, false, 'the conversation is signed in');
  }),
);

// Markers ---------------------------------------------------------------------------------------

Then(
  '{conversation} is marked as an anonymous claim of a verified address',
  outcome(function (conversation: ConversationRef) {
    assert.ok(this.lastResultFor(this.conversationRef(conversation)).flags.includes('risk-anonymous-claim'), 'not marked as an anonymous claim');
  }),
);

Then(
  '{conversation} is marked as not carrying a usable address',
  outcome(function (conversation: ConversationRef) {
    assert.ok(this.lastResultFor(this.conversationRef(conversation)).flags.includes('invalid-email'), 'not marked as carrying no usable address');
  }),
);

Then(
  '{conversation} carries no warning',
  outcome(function (conversation: ConversationRef) {
    assert.deepEqual(this.lastResultFor(this.conversationRef(conversation)).flags, []);
  }),
);

Then(
  '{person}\'s sign-in is marked as an address conflict',
  outcome(function (name: string) {
    const result = this.resultOf(this.latestSignInOf(name).ref);
    assert.notEqual(result.outcome, 'rejected', `${name}'s sign-in was turned away`);
    assert.ok(result.flags.includes('email-conflict'), `${name}'s sign-in is not marked as an address conflict`);
  }),
);

// Sign-ins turned away ----------------------------------------------------------------------------

Then(
  '{person}\'s sign-in is turned away as an invalid token',
  outcome(function (name: string) {
    turnedAway(this, name, 'invalid-token');
  }),
);

Then(
  '{person}\'s sign-in is turned away because another customer already holds the address',
  outcome(function (name: string) {
    turnedAway(this, name, 'conflict');
  }),
);

Then(
  'no conversation is recorded for {person}\'s sign-in',
  outcome(function (name: string) {
    const event = this.latestSignInOf(name);
    if (event.type === 'login') throw new Error('a sign-in during a conversation never opens one; say the conversation stays unsigned instead');
    assert.ok(!this.result.conversations.some((candidate) => candidate.ref === event.ref), `conversation ${event.ref} was recorded`);
  }),
);

/** The scenario's last event wrote nothing: the store is the same as without it. */
Then(
  'nothing changes',
  outcome(async function () {
    const without = await this.withoutLastEvent();
    assert.deepEqual(
      { users: this.result.users, conversations: this.result.conversations },
      { users: without.users, conversations: without.conversations },
      'the last event changed the store',
    );
  }),
);

// Email identities --------------------------------------------------------------------------------

Then(
  '{person} (still )holds {string} {verification}',
  outcome(function (name: string, address: string, verified: boolean) {
    holds(this.userOf(name), decodeEscapes(address), verified);
  }),
);

Then(
  '{person} holds no email identity',
  outcome(function (name: string) {
    assert.deepEqual(this.userOf(name).emails, [], `${name} holds email identities`);
  }),
);

Then(
  '{person} holds {int} email identity/identities',
  outcome(function (name: string, count: number) {
    assert.equal(this.userOf(name).emails.length, count, `${name} holds ${JSON.stringify(this.userOf(name).emails)}`);
  }),
);

Then(
  '{person} no longer holds {string}',
  outcome(function (name: string, address: string) {
    doesNotHold(this.userOf(name), decodeEscapes(address), name);
  }),
);

Then(
  '{person} does not hold {string}',
  outcome(function (name: string, address: string) {
    doesNotHold(this.userOf(name), decodeEscapes(address), name);
  }),
);

Then(
  'nobody holds {string}',
  outcome(function (address: string) {
    const wanted = decodeEscapes(address);
    const holders = this.result.users.filter((user) => user.emails.some((email) => sameAddress(email.address, wanted)));
    assert.deepEqual(holders.map((user) => user.ref), [], `somebody holds ${wanted}`);
  }),
);

Then(
  '{person}\'s email identities are unchanged',
  outcome(function (name: string) {
    const sort = (emails: readonly { address: string; verified: boolean }[]) =>
      [...emails].map((email) => ({ address: email.address, verified: email.verified })).sort((a, b) => (a.address < b.address ? -1 : 1));
    assert.deepEqual(sort(this.userOf(name).emails), sort(this.startingEmailsOf(name)), `${name}'s email identities changed`);
  }),
);

// Profiles ------------------------------------------------------------------------------------------

Then(
  '{person} has external id {string}',
  outcome(function (name: string, externalId: string) {
    assert.equal(this.userOf(name).externalId, externalId);
  }),
);

Then(
  '{person} is named {string}',
  outcome(function (name: string, fullName: string) {
    assert.equal(this.userOf(name).name, fullName);
  }),
);

Then(
  '{person} is merged into {person}',
  outcome(function (from: string, into: string) {
    const user = this.userByRef(this.userRefOf(from));
    assert.equal(user.mergedInto, this.userRefOf(into), `${from} is not merged into ${into}`);
  }),
);

Then(
  '{person} is not merged into anyone',
  outcome(function (name: string) {
    assert.equal(this.userByRef(this.userRefOf(name)).mergedInto, undefined, `${name} was merged`);
  }),
);

Then(
  '{person}\'s visitor profile is upgraded to the customer with external id {string}',
  outcome(function (name: string, externalId: string) {
    const profile = this.visitorProfileOf(name);
    const login = this.resultOf(this.latestSignInOf(name).ref);
    assert.equal(login.outcome, 'upgraded', `the sign-in was not an upgrade: ${JSON.stringify(login)}`);
    assert.equal(profile.mergedInto, undefined, 'the visitor profile was merged away');
    assert.equal(profile.externalId, externalId);
    assert.ok(profile.conversations.includes(this.latestConversationOf(name)), 'the visitor profile no longer holds the conversation');
  }),
);

Then(
  '{person}\'s visitor profile is merged into {person}',
  outcome(function (name: string, into: string) {
    assert.equal(this.visitorProfileOf(name).mergedInto, this.userRefOf(into), `${name}'s visitor profile is not merged into ${into}`);
  }),
);

Then(
  '{person}\'s visitor profile still has external id {string}',
  outcome(function (name: string, externalId: string) {
    const profile = this.visitorProfileOf(name);
    assert.equal(profile.mergedInto, undefined, 'the visitor profile was merged away');
    assert.equal(profile.externalId, externalId);
  }),
);

Then(
  '{person}\'s visitor profile still holds {string} {verification}',
  outcome(function (name: string, address: string, verified: boolean) {
    holds(this.visitorProfileOf(name), decodeEscapes(address), verified);
  }),
);

// ---------------------------------------------------------------------------------------------------

function landsOnNewUser(world: IdmatrixWorld, ref: string): ResultUser {
  const holder = world.conversation(ref).user;
  const creators = world.creatorsOf(ref);
  assert.ok(creators.includes(holder), `conversation ${ref} is with ${holder}, not a user created for it (${creators.join(' or ')})`);
  return world.userByRef(holder);
}

function keptOnConversationOnly(world: IdmatrixWorld, ref: string, user: ResultUser): void {
  const typed = world.conversation(ref).typedEmail;
  assert.ok(typed !== null, 'the conversation keeps no typed address');
  assert.ok(!user.emails.some((email) => sameAddress(email.address, typed)), `${user.ref} holds the typed address ${typed}`);
}

function holds(user: ResultUser, address: string, verified: boolean): void {
  const identity = user.emails.find((email) => email.address === address);
  assert.ok(identity, `${user.ref} does not hold "${address}" (holds ${JSON.stringify(user.emails)})`);
  assert.equal(identity.verified, verified, `"${address}" is ${identity.verified ? 'verified' : 'unverified'}`);
}

function doesNotHold(user: ResultUser, address: string, name: string): void {
  assert.ok(!user.emails.some((email) => sameAddress(email.address, address)), `${name} holds "${address}"`);
}

function turnedAway(world: IdmatrixWorld, name: string, code: string): void {
  const result = world.resultOf(world.latestSignInOf(name).ref);
  assert.equal(result.outcome, 'rejected', `${name}'s sign-in was accepted: ${JSON.stringify(result)}`);
  assert.equal(result.error?.code, code, `${name}'s sign-in was turned away for another reason: ${result.error?.message}`);
}
