Feature: Visitors under "Use both verified and unverified emails"

  With "Use both verified and unverified emails", an address a visitor types becomes an unverified
  email identity, and later visitors who type it join the same user: whoever types an address first
  holds it, with no proof that it is theirs, a known risk. A verified address is protected unless the
  admin also turns on "Unauthenticated users can claim verified emails" (the article on these settings
  says existing accounts have it on): then anyone who types a verified customer's address joins that
  customer. That is a known risk too, a stranger taking over a customer's conversations by typing her
  address, and the conversation is marked for an agent to see.

  @rule:VISIT-NEW-UNVERIFIED @source:SEED
  Rule: A visitor who types an address nobody holds becomes a new user holding it unverified

    Scenario Outline: Olga's first conversation gives her a profile holding her address unverified
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor, typing "olga.novak@example.com"
      Then Olga's conversation goes to a new user
      And Olga holds "olga.novak@example.com" unverified
      And the conversation carries no warning

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

  @rule:VISIT-JOIN-UNVERIFIED @source:SEED @risk
  Rule: A visitor who types an address someone holds unverified joins that user

    Known risk: whoever types the address joins its holder, with no proof that the address is theirs.
    A stranger who types Olga's address shares her profile, and reads what agents answer there. Only
    "Use only verified emails" closes it.

    Scenario Outline: A visitor typing Olga's unverified address joins Olga's profile
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      When a visitor starts a conversation as "olga.novak@example.com"
      Then the conversation joins Olga
      And Olga's email identities are unchanged
      And the conversation carries no warning

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Olga's later conversations with the same address join the profile her first one created
      Given the account uses the "<setting>" setting
      And Olga wrote in as a visitor, typing "olga.novak@example.com"
      When Olga writes in again as a visitor, typing "olga.novak@example.com"
      Then Olga's conversations are all on one user
      And Olga holds "olga.novak@example.com" unverified

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

  @rule:VISIT-VERIFIED-HELD @source:SEED @setting:verified-and-unverified
  Rule: A visitor who types an address someone holds verified gets a new user of their own

    Background:
      Given the account uses the "verified-and-unverified" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified

    Scenario: A visitor typing Kim's verified address does not reach Kim
      When a visitor starts a conversation as "kim.lee@example.com"
      Then the conversation goes to a new user
      And the address "kim.lee@example.com" is kept on the conversation only
      And Kim's email identities are unchanged

    Scenario: Every conversation with Kim's verified address gets a user of its own
      When Mallory writes in as a visitor, typing "kim.lee@example.com"
      And Mallory writes in again as a visitor, typing "kim.lee@example.com"
      Then each of Mallory's conversations has a user of its own
      And Kim's email identities are unchanged

  @rule:VISIT-CLAIM-VERIFIED @source:SEED @setting:claim-verified @risk
  Rule: With claiming on, a visitor who types an address someone holds verified joins that user

    Known risk: anyone who knows a customer's address can put a conversation among that customer's
    conversations, and read what an agent answers there.

    Background:
      Given the account uses the "claim-verified" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified

    Scenario: A visitor typing Kim's verified address joins Kim, marked as an anonymous claim
      When a visitor starts a conversation as "kim.lee@example.com"
      Then the conversation joins Kim
      And the conversation is marked as an anonymous claim of a verified address
      And the conversation is not signed in
      And Kim's email identities are unchanged

    Scenario: A stranger's conversation lands among Kim's signed-in conversations
      Given Kim signed in with external id "kim-1042" and the verified email "kim.lee@example.com"
      When Mallory writes in as a visitor, typing "kim.lee@example.com"
      Then Mallory's conversation joins Kim
      And Mallory's conversation is marked as an anonymous claim of a verified address
      And Kim's email identities are unchanged
