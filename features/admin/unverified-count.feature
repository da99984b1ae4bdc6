Feature: Counting the users without a verified address

  The migration advice of the article on these settings: before switching to "Use only verified emails", search for
  users with no verified address (is_verified:false) to see how many would stop receiving visitors'
  conversations; switch when few are left. The account counts those users (merged-away users
  excluded), and separately its unverified email identities.

  @rule:ADMIN-UNVERIFIED-COUNT @source:SEED
  Rule: The account can count users without a verified identity, and unverified identities

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      And Olga is a user who holds "olga.novak@example.com" unverified
      And Hiro is a user with external id "hiro-5530"

    Scenario Outline: Olga, with only an unverified address, and Hiro, with none, are counted
      Given the account uses the "<setting>" setting
      Then the account counts 2 users without a verified email identity and 1 unverified email identity

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

    Scenario Outline: A visitor who types a new address adds a user without verified address, and an unverified address where the setting stores one
      Given the account uses the "<setting>" setting
      When Priya writes in as a visitor, typing "priya.shah@example.com"
      Then the account counts 3 users without a verified email identity and <unverified> unverified email identities

      @setting:verified-only
      Examples: only verified emails
        | setting       | identity               | unverified |
        | verified-only | no unverified identity | 1          |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | identity                | unverified |
        | verified-and-unverified | one unverified identity | 2          |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | identity                | unverified |
        | claim-verified | one unverified identity | 2          |

    Scenario Outline: Hiro signing in with a verified address takes him off the list
      Given the account uses the "<setting>" setting
      When Hiro signs in with external id "hiro-5530" and the verified email "hiro.tanaka@example.com"
      Then the account counts 1 user without a verified email identity and 1 unverified email identity

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

    Scenario Outline: A user merged away is not counted
      Given the account uses the "<setting>" setting
      When an agent merges Olga into Kim
      Then the account counts 1 user without a verified email identity and 1 unverified email identity

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
