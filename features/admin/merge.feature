Feature: An agent merges two end users

  An agent can merge one end user into another: the merged user's conversations and email
  identities move to the other, each identity exactly as verified as it was (the help center adds
  them as secondary identities). If only the merged user has an external id, it moves too. The help
  center refuses to merge two users who both have an external id; the engine also refuses a merge of
  a user into themselves and a merge of a user who was merged away already (our own reading, where the
  sources are silent), and a refused
  merge changes nothing.

  @rule:ADMIN-MERGE @source:DOC
  Rule: An agent's merge moves conversations and email identities, each as verified as it was

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      And Olga is a user who holds "olga.novak@example.com" unverified

    Scenario Outline: Merging Olga into Kim gives Kim Olga's address, still unverified
      Given the account uses the "<setting>" setting
      When an agent merges Olga into Kim
      Then Olga is merged into Kim
      And Kim holds "olga.novak@example.com" unverified
      And Kim still holds "kim.lee@example.com" verified
      And Kim has external id "kim-1042"

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

    Scenario Outline: A visitor's conversation moves with the visitor's profile
      Given the account uses the "<setting>" setting
      And Priya wrote in as a visitor without an email
      When an agent merges Priya into Kim
      Then Priya's visitor profile is merged into Kim
      And Priya's conversation joins Kim
      And Priya's conversation is not signed in

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

    Scenario Outline: When only the merged user has an external id, it moves too, and a verified address stays verified
      Given the account uses the "<setting>" setting
      When an agent merges Kim into Olga
      Then Kim is merged into Olga
      And Olga has external id "kim-1042"
      And Olga holds "kim.lee@example.com" verified
      And Olga still holds "olga.novak@example.com" unverified

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

    Scenario Outline: Two customers who both have an external id cannot be merged
      Given the account uses the "<setting>" setting
      And Leo is a user with external id "leo-312" who holds "leo.novak@example.com" verified
      When an agent merges Leo into Kim
      Then the merge is refused
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

    @setting:verified-and-unverified
    Scenario: A user cannot be merged into themselves
      Given the account uses the "verified-and-unverified" setting
      When an agent merges Olga into Olga
      Then the merge is refused
      And nothing changes

    @setting:verified-and-unverified
    Scenario: A user merged away already cannot be merged again
      Given the account uses the "verified-and-unverified" setting
      And Hiro is a user without any email identity
      And an agent merged Olga into Kim
      When an agent merges Olga into Hiro
      Then the merge is refused
      And nothing changes
