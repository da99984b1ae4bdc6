Feature: The same address, spelled differently

  Capital letters A to Z, and plain spaces around an address, do not make another address: typed or
  signed in as "Olga.Novak@Example.COM" or " olga.novak@example.com ", it is Olga's address. An
  address is stored as it was first given, without the spaces around it, and later spellings never
  change it; a conversation keeps what the visitor typed exactly as typed.
  Look-alike letters are written as they look, and each example says what they are (a Kelvin sign K,
  not the letter K). A character nobody can see, such as a space around an address, a zero-width space
  or a tab, is written as a code of the form \u0020, and each example says in words what it is.

  Rule: Capital letters and spaces around a typed address still lead to its unverified holder

    Scenario Outline: A visitor typing Olga's address in capitals or with spaces around it joins Olga, who holds it unverified
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      When a visitor starts a conversation as "<typed>"
      Then the conversation joins Olga
      And the conversation keeps the typed text "<typed>"
      And Olga's email identities are unchanged

      @rule:VISIT-JOIN-UNVERIFIED @source:SEED @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 | typed                                    | spelled                           |
        | verified-and-unverified | Olga.Novak@Example.COM                   | with some capitals                |
        | verified-and-unverified | \u0020\u0020olga.novak@example.com\u0020 | with two spaces before, one after |
        | verified-and-unverified | OLGA.NOVAK@EXAMPLE.COM                   | in capitals                       |

      @rule:VISIT-JOIN-UNVERIFIED @source:SEED @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        | typed                                    | spelled                          |
        | claim-verified | Olga.Novak@Example.COM                   | with some capitals               |
        | claim-verified | \u0020olga.novak@example.com\u0020\u0020 | with one space before, two after |

  Rule: Under "only verified emails" the conversation keeps the address exactly as typed

    @rule:VISIT-STRICT @source:SEED @setting:verified-only
    Scenario: A visitor typing " Olga.Novak@Example.COM " keeps those exact characters on the conversation
      Given the account uses the "verified-only" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      When a visitor starts a conversation as "\u0020Olga.Novak@Example.COM\u0020"
      Then the conversation goes to a new user
      And the conversation keeps the typed text "\u0020Olga.Novak@Example.COM\u0020"
      And Olga's email identities are unchanged

  Rule: A token's address is compared the same way, and stored without the spaces around it

    Scenario Outline: Kim's token spells her address in lower case: her identity keeps its spelling and becomes verified
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042" who holds "Kim.Lee@Example.com" unverified
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then Kim holds "Kim.Lee@Example.com" verified
      And Kim holds 1 email identity

      @setting:verified-only @rule:AUTH-LINK-PROMOTE @source:SEED
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @rule:AUTH-LINK-PROMOTE @source:SEED
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @rule:AUTH-LINK-PROMOTE @source:SEED
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: A token's address with spaces around it is stored without them
      Given the account uses the "<setting>" setting
      When Hiro signs in with external id "hiro-5530" and the verified email "\u0020\u0020hiro.tanaka@example.com\u0020"
      Then Hiro's conversation goes to a new user
      And Hiro holds "hiro.tanaka@example.com" verified

      @setting:verified-only @rule:AUTH-NEW @source:SEED
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @rule:AUTH-NEW @source:SEED
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @rule:AUTH-NEW @source:SEED
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: A verified address that supersedes an unverified copy is spelled as in the token
      Given the account uses the "<setting>" setting
      And Alex is a user who holds "SAM.ORTIZ@EXAMPLE.COM" unverified
      When Sam signs in with external id "sam-2208" and the verified email "Sam.Ortiz@example.com"
      Then Sam holds "Sam.Ortiz@example.com" verified
      And Alex no longer holds "sam.ortiz@example.com"

      @setting:verified-only @rule:AUTH-NEW-SUPERSEDE @source:SEED
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @rule:AUTH-NEW-SUPERSEDE @source:SEED
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @rule:AUTH-NEW-SUPERSEDE @source:SEED
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |
