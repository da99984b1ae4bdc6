import { When } from '@cucumber/cucumber';
import type { TokenSource } from '../src/replay/types';
import { badTokenSource } from './support/bad-tokens';
import type { ConversationRef } from './support/parameters';
import { decodeEscapes } from './support/text';
import type { IdmatrixWorld } from './support/world';

/** Visitors writing in, customers signing in, and visitors signing in mid-conversation. */

When('a visitor starts/started a conversation as {string}', function (this: IdmatrixWorld, email: string) {
  this.addVisitor('the visitor', decodeEscapes(email));
});

When('{person} writes/wrote in( again) as a visitor, typing {string}', function (this: IdmatrixWorld, name: string, email: string) {
  this.addVisitor(name, decodeEscapes(email));
});

When('{person} writes/wrote in( again) as a visitor without an email', function (this: IdmatrixWorld, name: string) {
  this.addVisitor(name, null);
});

// A new signed-in conversation -----------------------------------------------------------------

When(
  '{person} signs/signed in with external id {string} and the verified email {string}',
  function (this: IdmatrixWorld, name: string, externalId: string, email: string) {
    this.addSignedIn(name, { claims: this.claimsFor(name, externalId, { address: decodeEscapes(email), verified: true }) });
  },
);

When('{person} signs/signed in with external id {string} and no email', function (this: IdmatrixWorld, name: string, externalId: string) {
  this.addSignedIn(name, { claims: this.claimsFor(name, externalId, null) });
});

When(
  '{person} signs/signed in with external id {string} and the email {string} marked unverified',
  function (this: IdmatrixWorld, name: string, externalId: string, email: string) {
    this.addSignedIn(name, { claims: this.claimsFor(name, externalId, { address: decodeEscapes(email), verified: false }) });
  },
);

When(
  '{person} signs/signed in with external id {string} and the email {string} without saying whether it is verified',
  function (this: IdmatrixWorld, name: string, externalId: string, email: string) {
    this.addSignedIn(name, { claims: this.claimsFor(name, externalId, { address: decodeEscapes(email), verified: 'unsaid' }) });
  },
);

When('{person} signs/signed in with {badToken}', function (this: IdmatrixWorld, name: string, phrase: string) {
  this.addSignedIn(name, badToken(this, name, phrase));
});

// A visitor signing in during a conversation ----------------------------------------------------
// "during the conversation": the signer's own latest visitor conversation; "during Priya's
// conversation": Priya's (someone else signing in on the same chat).

When(
  '{person} signs/signed in during {conversation} with external id {string} and the verified email {string}',
  function (this: IdmatrixWorld, name: string, conversation: ConversationRef, externalId: string, email: string) {
    const claims = this.claimsFor(name, externalId, { address: decodeEscapes(email), verified: true });
    this.addLogin(name, conversation.owner ?? name, { claims });
  },
);

When(
  '{person} signs/signed in during {conversation} with external id {string} and no email',
  function (this: IdmatrixWorld, name: string, conversation: ConversationRef, externalId: string) {
    this.addLogin(name, conversation.owner ?? name, { claims: this.claimsFor(name, externalId, null) });
  },
);

When(
  '{person} signs/signed in during {conversation} with external id {string} and the email {string} marked unverified',
  function (this: IdmatrixWorld, name: string, conversation: ConversationRef, externalId: string, email: string) {
    const claims = this.claimsFor(name, externalId, { address: decodeEscapes(email), verified: false });
    this.addLogin(name, conversation.owner ?? name, { claims });
  },
);

When('{person} signs/signed in during {conversation} with {badToken}', function (this: IdmatrixWorld, name: string, conversation: ConversationRef, phrase: string) {
  this.addLogin(name, conversation.owner ?? name, badToken(this, name, phrase));
});

function badToken(world: IdmatrixWorld, name: string, phrase: string): TokenSource {
  const account = world.person(name).account;
  if (account === null) throw new Error(`say first what the company's website knows of ${name} (external id and verified email)`);
  return badTokenSource(phrase, world.claimsFor(name, account.externalId, { address: account.email, verified: true }));
}
