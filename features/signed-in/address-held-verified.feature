Feature: A new signed-in customer whose address someone already holds verified

  Here the two sources disagree. Zendesk's help center resolves a signed-in customer by email when no
  user has their external id, and answers "User already exists" when a customer with another external
  id holds the email verified. The article on these settings says instead that a new user is created
  and the address removed from the old profile. The reference engine follows the help center.

  How both readings are shown: a scenario whose title does not name a source states what the engine
  does, and must hold. A scenario titled "The article's reading: …" states what the article says would
  happen instead. It runs like any other, and the reports show each of its statements that does not
  hold as not holding ("the engine does not do this"), never as passed. It passes only when at least
  one of them does not hold; should the engine ever follow the article's reading, it fails and names
  itself.

  @rule:AUTH-ADOPT @source:DISPUTED
  Rule: A new signed-in customer whose address a user without external id holds verified continues as that user

    Kim's profile holds her address verified but has no external id: it came from an import made
    before the company had customer numbers. When Kim signs in, her token's external id is unknown,
    so the help center finds her by email (external id first, email only when nobody has it), and her
    profile takes the external id. The article would create a second profile for her.

    Background:
      Given Kim is a user who holds "kim.lee@example.com" verified

    Scenario Outline: Kim signs in for the first time and continues as her existing profile
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation joins Kim
      And Kim has external id "kim-1042"
      And Kim still holds "kim.lee@example.com" verified
      And the conversation is signed in

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    @reading:SEED @expected-to-differ
    Scenario Outline: The article's reading: Kim's sign-in creates a new profile and takes the address from the old one
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation goes to a new user who holds "kim.lee@example.com" verified
      And Kim no longer holds "kim.lee@example.com"

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

  @rule:AUTH-CONFLICT @source:DISPUTED
  Rule: A new signed-in customer whose address another customer holds verified is turned away

    Dana and Leo share the family mailbox novak.family@example.com, and the company's login let both
    of their accounts verify it. Dana's profile holds it. The help center answers Leo's sign-in with
    "User already exists" and the conversation stays unauthenticated: a verified address never
    moves silently to someone else. The article says the address is taken from Dana instead.

    Background:
      Given Dana is a user with external id "dana-311" who holds "novak.family@example.com" verified

    Scenario Outline: Leo is turned away because Dana already holds the family address
      Given the account uses the "<setting>" setting
      When Leo signs in with external id "leo-312" and the verified email "novak.family@example.com"
      Then Leo's sign-in is turned away because another customer already holds the address
      And no conversation is recorded for Leo's sign-in
      And nothing changes

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Leo signing in during a chat is turned away too, and the chat stays a visitor's
      Given the account uses the "<setting>" setting
      And Leo wrote in as a visitor without an email
      When Leo signs in during the conversation with external id "leo-312" and the verified email "novak.family@example.com"
      Then Leo's sign-in is turned away because another customer already holds the address
      And Leo's conversation is still not signed in
      And nothing changes

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    @reading:SEED @expected-to-differ
    Scenario Outline: The article's reading: Leo's sign-in takes the family address from Dana
      Given the account uses the "<setting>" setting
      When Leo signs in with external id "leo-312" and the verified email "novak.family@example.com"
      Then Leo's conversation goes to a new user who holds "novak.family@example.com" verified
      And Dana no longer holds "novak.family@example.com"

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |
