import { Given } from '@cucumber/cucumber';
import { decodeEscapes } from './support/text';
import type { IdmatrixWorld } from './support/world';

/** The account and the users it starts with. */

Given('the account uses the {string} setting', function (this: IdmatrixWorld, setting: string) {
  this.useSetting(setting);
});

Given('{person} is a user who holds {string} {verification}', function (this: IdmatrixWorld, name: string, address: string, verified: boolean) {
  this.addStartingUser(name, null, [{ address: decodeEscapes(address), verified }]);
});

Given('{person} is a user without any email identity', function (this: IdmatrixWorld, name: string) {
  this.addStartingUser(name, null, []);
});

Given('{person} is a user with external id {string}', function (this: IdmatrixWorld, name: string, externalId: string) {
  this.addStartingUser(name, externalId, []);
});

Given(
  '{person} is a user with external id {string} who holds {string} {verification}',
  function (this: IdmatrixWorld, name: string, externalId: string, address: string, verified: boolean) {
    this.addStartingUser(name, externalId, [{ address: decodeEscapes(address), verified }]);
  },
);

Given('{person} also holds {string} {verification}', function (this: IdmatrixWorld, name: string, address: string, verified: boolean) {
  this.addEmail(name, { address: decodeEscapes(address), verified });
});

/** The `name` claim of this person's tokens (by default, the person's first name). */
Given("{person} goes by {string} in the company's records", function (this: IdmatrixWorld, name: string, fullName: string) {
  this.person(name).tokenName = fullName;
});

/** What a good token for this person would say; the bad-token steps change one thing in it. */
Given(
  "the company's website knows {person} as external id {string} with the verified email {string}",
  function (this: IdmatrixWorld, name: string, externalId: string, email: string) {
    this.person(name).account = { externalId, email: decodeEscapes(email) };
  },
);
