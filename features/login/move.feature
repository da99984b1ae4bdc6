Feature: A visitor who had joined an existing profile and then signs in

  A visitor may sign in during a conversation: the company's website hands the chat a token. The
  token is first read exactly as if it opened a new signed-in conversation, against the users as they
  stand; a token that would be turned away then (an invalid token, or another customer's verified
  address) turns the sign-in away and the conversation stays as it was. Otherwise what happens
  depends on the user the conversation is on: the profile created for this very conversation is
  upgraded or merged; a profile that existed before the conversation is left alone, and only the
  conversation moves.

  Here the sources disagree. The help center merges the visitor's profile into the signed-in
  customer, whoever that profile is. The reference engine moves only the conversation when the
  profile existed before the conversation, so that signing in never hands someone else's history to
  the person who signs in (a verified address only moves through an explicit merge). The scenario
  titled "The help center's reading: …" states what the help center says would happen: it runs too,
  the reports show each of its statements that does not hold as not holding ("the engine does not do
  this"), never as passed, and it passes only when at least one of them does not hold.

  @rule:LOGIN-MOVE @source:DISPUTED
  Rule: A visitor who had joined an existing user and then signs in takes only this conversation along

    Scenario Outline: Sam typed Olga's address and joined her profile; when he signs in, only his conversation moves to him
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      And Olga wrote in as a visitor, typing "olga.novak@example.com"
      And Sam wrote in as a visitor, typing "olga.novak@example.com"
      When Sam signs in during the conversation with external id "sam-2208" and the verified email "sam.ortiz@example.com"
      Then Sam's conversation goes to a new user
      And Olga's conversation joins Olga
      And Olga is not merged into anyone
      And Olga's email identities are unchanged

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    @reading:DOC @expected-to-differ
    Scenario Outline: The help center's reading: Olga's profile, which Sam had joined, is merged into Sam's
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      And Olga wrote in as a visitor, typing "olga.novak@example.com"
      And Sam wrote in as a visitor, typing "olga.novak@example.com"
      When Sam signs in during the conversation with external id "sam-2208" and the verified email "sam.ortiz@example.com"
      Then Olga is merged into Sam
      And Olga's conversation joins Sam

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Olga herself joins her old profile and signs in: her new verified profile gets this conversation, the old one keeps the rest
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      And Olga wrote in as a visitor, typing "olga.novak@example.com"
      And Olga wrote in again as a visitor, typing "olga.novak@example.com"
      When Olga signs in during the conversation with external id "olga-7731" and the verified email "olga.novak@example.com"
      Then the conversation goes to a new user who holds "olga.novak@example.com" verified
      And Olga no longer holds "olga.novak@example.com"
      And Olga is not merged into anyone

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Kim typed her own address and joined her profile; signing in keeps the conversation there and verifies the address
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" unverified
      And Kim wrote in as a visitor, typing "kim.lee@example.com"
      When Kim signs in during the conversation with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then Kim's conversation joins Kim
      And Kim holds "kim.lee@example.com" verified
      And Kim's conversation is signed in

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Sam, on Olga's profile, signs in with an address another customer holds verified: the conversation moves, the address stays
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      And Dana is a user with external id "dana-311" who holds "novak.family@example.com" verified
      And Sam is a user with external id "sam-2208"
      And Sam wrote in as a visitor, typing "olga.novak@example.com"
      When Sam signs in during the conversation with external id "sam-2208" and the verified email "novak.family@example.com"
      Then Sam's conversation joins Sam
      And Sam's sign-in is marked as an address conflict
      And Dana's email identities are unchanged

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Sam, on Olga's profile, signs in as a customer known only by a verified address: that profile takes his external id
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      And Greta is a user who holds "greta.berg@example.com" verified
      And Sam wrote in as a visitor, typing "olga.novak@example.com"
      When Sam signs in during the conversation with external id "sam-2208" and the verified email "greta.berg@example.com"
      Then Sam's conversation joins Greta
      And Greta has external id "sam-2208"
      And Olga is not merged into anyone

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: On a shared computer Ben signs in after Priya on the same chat: only the conversation moves to Ben
      Given the account uses the "<setting>" setting
      And Priya wrote in as a visitor without an email
      And Priya signed in during the conversation with external id "priya-4410" and the verified email "priya.shah@example.com"
      When Ben signs in during Priya's conversation with external id "ben-9012" and the verified email "ben.okafor@example.com"
      Then the conversation goes to a new user who holds "ben.okafor@example.com" verified
      And the conversation is signed in
      And Priya's visitor profile still has external id "priya-4410"
      And Priya's visitor profile still holds "priya.shah@example.com" verified

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

    Scenario Outline: After an agent merged the visitor's profile into Kim, the visitor's sign-in as Ben takes only the conversation
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      And Ben wrote in as a visitor without an email
      And an agent merged Ben into Kim
      When Ben signs in during the conversation with external id "ben-9012" and the verified email "ben.okafor@example.com"
      Then the conversation goes to a new user who holds "ben.okafor@example.com" verified
      And Ben's visitor profile is merged into Kim
      And Kim's email identities are unchanged

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
