Feature: The same address, spelled differently

  Capital letters A to Z, and plain spaces around an address, do not make another address: typed or
  signed in as "Olga.Novak@Example.COM" or " olga.novak@example.com ", it is Olga's address. An
  address is stored as it was first given, without the spaces around it, and later spellings never
  change it; a conversation keeps what the visitor typed exactly as typed.
  A character that is hard to see is written as \uXXXX, its Unicode code point: \u212A is the Kelvin
  sign (it looks like K), \u0131 the dotless i, \u0020 a plain space, \u00A0 a no-break space,
  \u200B a zero-width space, \u0009 a tab, \uFEFF a byte order mark, \u202E a right-to-left override.

  Rule: Capital letters and spaces around a typed address still lead to its unverified holder

    Scenario Outline: A visitor typing "<typed>" joins Olga, who holds "olga.novak@example.com" unverified, under "<setting>"
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      When a visitor starts a conversation as "<typed>"
      Then the conversation joins Olga
      And the conversation keeps the typed text "<typed>"
      And Olga's email identities are unchanged

      @rule:VISIT-JOIN-UNVERIFIED @source:SEED @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | typed                                    |
        | verified-and-unverified | Olga.Novak@Example.COM                   |
        | verified-and-unverified | \u0020\u0020olga.novak@example.com\u0020 |
        | verified-and-unverified | OLGA.NOVAK@EXAMPLE.COM                   |

      @rule:VISIT-JOIN-UNVERIFIED @source:SEED @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | typed                                    |
        | claim-verified | Olga.Novak@Example.COM                   |
        | claim-verified | \u0020olga.novak@example.com\u0020\u0020 |

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

    Scenario Outline: Kim's token spells her address in lower case: her identity keeps its spelling and becomes verified, under "<setting>"
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

    Scenario Outline: A token's address with spaces around it is stored without them, under "<setting>"
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

    Scenario Outline: A verified address that supersedes an unverified copy is spelled as in the token, under "<setting>"
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
