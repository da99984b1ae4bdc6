Feature: A known signed-in customer

  When a user already has the token's external id, the conversation goes to that user: the external
  id is the customer's identity, and the email only decides what happens to the address. None of this
  depends on the email-identity setting.

  @rule:AUTH-LINK @source:SEED
  Rule: A known signed-in customer who already holds the address verified continues as themselves

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified

    Scenario Outline: Kim signs in again and her conversation joins her profile
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation joins Kim
      And Kim's email identities are unchanged
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

  @rule:AUTH-LINK-PROMOTE @source:SEED
  Rule: A known signed-in customer who holds the address unverified gets it verified

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" unverified

    Scenario Outline: Kim's token vouches for the address she held unverified
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation joins Kim
      And Kim holds "kim.lee@example.com" verified

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

  @rule:AUTH-LINK-ADD-EMAIL @source:SEED
  Rule: A known signed-in customer without any email identity gets the address, verified

    Background:
      Given Kim is a user with external id "kim-1042"

    Scenario Outline: Kim, known only by her customer number, gets her address
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation joins Kim
      And Kim holds "kim.lee@example.com" verified

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

  @rule:AUTH-LINK-ADD-SECONDARY @source:INF
  Rule: A known signed-in customer with other addresses gets this one as another verified identity

    Inferred: the external id decides who the customer is, so a new verified address is simply added
    to them; the addresses they already hold stay as they are.

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@oldcorp.example" verified
      And Kim also holds "kim@lee-family.example" unverified

    Scenario Outline: Kim signs in with her new work address and keeps the others
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@newcorp.example"
      Then the conversation joins Kim
      And Kim holds "kim.lee@newcorp.example" verified
      And Kim still holds "kim.lee@oldcorp.example" verified
      And Kim still holds "kim@lee-family.example" unverified

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

  @rule:AUTH-LINK-TAKE-UNVERIFIED @source:INF
  Rule: A known signed-in customer takes the address, verified, from whoever held it unverified

    Inferred: the external id decides who the customer is, and a verified identity supersedes an
    unverified copy held by someone else.

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@oldcorp.example" verified
      And Alex is a user who holds "kim.lee@example.com" unverified
      And Alex also holds "alex.kim@example.com" unverified

    Scenario Outline: Kim's verified address moves to her from Alex, who had only typed it
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation joins Kim
      And Kim holds "kim.lee@example.com" verified
      And Alex no longer holds "kim.lee@example.com"
      And Alex still holds "alex.kim@example.com" unverified

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

  @rule:AUTH-LINK-EMAIL-TAKEN @source:INF
  Rule: A known signed-in customer continues as themselves; an address someone else holds verified stays there

    Inferred: Leo is already someone (his external id), so the conversation is his; but a verified
    address never moves silently, so Dana keeps the family address and the sign-in is marked as an
    address conflict for an agent to look at. Compare a new customer, who is turned away instead.

    Background:
      Given Leo is a user with external id "leo-312" who holds "leo.novak@example.com" verified
      And Dana is a user with external id "dana-311" who holds "novak.family@example.com" verified

    Scenario Outline: Leo signs in with the family address Dana holds: the conversation is his, the address stays with Dana
      Given the account uses the "<setting>" setting
      When Leo signs in with external id "leo-312" and the verified email "novak.family@example.com"
      Then the conversation joins Leo
      And Leo's sign-in is marked as an address conflict
      And Dana's email identities are unchanged
      And Leo's email identities are unchanged

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

    Scenario Outline: The address stays with its verified holder even when that holder has no external id
      Given the account uses the "<setting>" setting
      And Greta is a user who holds "greta.berg@example.com" verified
      When Leo signs in with external id "leo-312" and the verified email "greta.berg@example.com"
      Then the conversation joins Leo
      And Leo's sign-in is marked as an address conflict
      And Greta's email identities are unchanged

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
