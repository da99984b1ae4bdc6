Feature: Visitors who give no usable email

  A visitor writes in without signing in, and may or may not type an email address. A visitor is never
  turned away: every conversation is recorded on some user, even when what they typed is not an
  address.

  @rule:VISIT-NO-EMAIL
  Rule: A visitor who gives no email gets a new user without email identity

    The article on these settings states it for "only verified emails"; for the other settings it is
    our own reading, following from "a visitor is never turned away".

    Scenario Outline: Olga writes in without an email and gets a profile of her own
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor without an email
      Then Olga's conversation goes to a new user
      And Olga is named "Olga"
      And Olga holds no email identity
      And the conversation carries no warning

      @setting:verified-only @source:SEED
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @source:INF
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @source:INF
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Two conversations without an email are two profiles, even from the same person
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor without an email
      And Olga writes in again as a visitor without an email
      Then each of Olga's conversations has a user of its own

      @setting:verified-only @source:SEED
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @source:INF
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @source:INF
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

  @rule:VISIT-BAD-EMAIL @source:INF
  Rule: A visitor who types something that is not an address is treated as giving none; the text is kept

    Inferred from "a visitor is never turned away": the conversation is recorded as if no email had
    been given, what the visitor typed is kept on the conversation exactly as typed, and the
    conversation is marked so that an agent can see it. The addresses family lists more such texts.

    Scenario Outline: Olga types her address with "at" instead of "@": she gets a profile of her own and the text is kept
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor, typing "olga.novak at example.com"
      Then Olga's conversation goes to a new user
      And Olga holds no email identity
      And the conversation keeps the typed text "olga.novak at example.com"
      And the conversation is marked as not carrying a usable address

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

    Scenario Outline: An empty email box is an unusable address, not a missing one
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor, typing ""
      Then Olga's conversation goes to a new user
      And the conversation keeps the typed text ""
      And the conversation is marked as not carrying a usable address

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

    Scenario Outline: An email box holding only spaces is an unusable address, and the spaces are kept
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor, typing "   "
      Then Olga's conversation goes to a new user
      And the conversation keeps the typed text "   "
      And the conversation is marked as not carrying a usable address

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
