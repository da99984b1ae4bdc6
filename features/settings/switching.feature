Feature: Switching the email-identity setting

  The migration path of the article on these settings: import customers with their external ids, count the users
  without a verified address, then switch to "Use only verified emails". Switching changes no
  existing data: addresses stay as they are, verified or not, and conversations stay where they
  are. Only conversations after the switch follow the new setting. "Unauthenticated users can claim
  verified emails" exists only together with "Use both verified and unverified emails": turning it on
  under "Use only verified emails" is refused, and the setting stays as it was. Before switching, the
  admin can ask what the recorded conversations would have done under another setting.

  @rule:ADMIN-SWITCH @source:SEED
  Rule: Changing the setting keeps existing data; only later conversations follow the new setting

    Scenario Outline: After switching to "only verified emails", Olga keeps her unverified address but a visitor typing it no longer joins her
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      And the admin switched to the "verified-only" setting
      When a visitor starts a conversation as "olga.novak@example.com"
      Then the conversation goes to a new user
      And Olga still holds "olga.novak@example.com" unverified

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    @setting:verified-only
    Scenario: After switching from "only verified emails" to "both", earlier conversations stay as they were and later ones store the address
      Given the account uses the "verified-only" setting
      And Olga wrote in as a visitor, typing "olga.novak@example.com"
      And the admin switched to the "verified-and-unverified" setting
      When Olga writes in again as a visitor, typing "olga.novak@example.com"
      Then each of Olga's conversations has a user of its own
      And Olga holds "olga.novak@example.com" unverified

    Scenario Outline: Turning on claiming under "only verified emails" is refused, and the account keeps its setting
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      And the admin turned on claiming of verified emails while using only verified emails
      When a visitor starts a conversation as "kim.lee@example.com"
      Then the setting change is refused as an invalid combination
      And the conversation <lands>

      @setting:verified-only
      Examples: only verified emails
        | setting       | lands              |
        | verified-only | goes to a new user |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | lands              |
        | verified-and-unverified | goes to a new user |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | lands                                                         |
        | claim-verified | joins Kim, marked as an anonymous claim of a verified address |

    Scenario Outline: Before switching, the admin sees which conversations would have gone elsewhere
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      And Kim signed in with external id "kim-1042" and the verified email "kim.lee@example.com"
      And a visitor started a conversation as "olga.novak@example.com"
      When the admin asks what would have happened under the "<other>" setting
      Then the report lists only the visitor's conversation as going elsewhere

      @setting:verified-only
      Examples: only verified emails
        | setting       | other                   |
        | verified-only | verified-and-unverified |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | other         |
        | verified-and-unverified | verified-only |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | other         |
        | claim-verified | verified-only |

    Scenario Outline: Nina got a new user of her own, and would get one under "only verified emails": she is not going elsewhere, only decided by another rule
      Given the account uses the "<setting>" setting
      And Nina wrote in as a visitor, typing "nina.berg@example.com"
      When the admin asks what would have happened under the "verified-only" setting
      Then the report lists no conversation as going elsewhere
      And the report lists Nina's conversation as landing the same way by another rule

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |
