Feature: Visitors under "Use only verified emails"

  With "Use only verified emails" (the default for new accounts), an address a visitor types is
  only shown in the conversation: it never becomes an email identity and never leads the visitor to
  an existing user. Every such conversation gets a user of its own.

  @rule:VISIT-STRICT @source:SEED @setting:verified-only
  Rule: Under "only verified emails" every visitor gets a new user of their own; the address stays on the conversation

    Background:
      Given the account uses the "verified-only" setting

    Scenario: A visitor typing an address nobody holds gets a profile without email identity
      When Olga writes in as a visitor, typing "olga.novak@example.com"
      Then Olga's conversation goes to a new user
      And Olga holds no email identity
      And the address "olga.novak@example.com" is kept on the conversation only

    Scenario: The same visitor writing twice with the same address gets a new profile each time
      When Olga writes in as a visitor, typing "olga.novak@example.com"
      And Olga writes in again as a visitor, typing "olga.novak@example.com"
      Then each of Olga's conversations has a user of its own
      And nobody holds "olga.novak@example.com"

    Scenario: A visitor typing an address a user holds unverified does not join that user
      Given Olga is a user who holds "olga.novak@example.com" unverified
      When a visitor starts a conversation as "olga.novak@example.com"
      Then the conversation goes to a new user
      And the address "olga.novak@example.com" is kept on the conversation only
      And Olga's email identities are unchanged

    Scenario: A visitor typing a verified customer's address does not reach that customer
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      When a visitor starts a conversation as "kim.lee@example.com"
      Then the conversation goes to a new user
      And the address "kim.lee@example.com" is kept on the conversation only
      And Kim's email identities are unchanged
      And the conversation carries no warning
