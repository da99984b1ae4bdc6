Feature: One situation, three settings

  The visitor flows are where the email-identity settings differ. Each scenario below puts the same
  situation to each of the three settings, one Examples block per setting, tagged with the rule that
  decides under that setting. The scenario report (reports/index.html, section "One situation, three
  settings") shows the three side by side, one column per setting, with what each one did.

  Rule: A visitor who types a verified customer's address joins that customer only when claiming is on

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified

    Scenario Outline: A visitor types Kim's address
      Given the account uses the "<setting>" setting
      When a visitor starts a conversation as "kim.lee@example.com"
      Then the conversation <lands>
      And Kim's email identities are unchanged

      @rule:VISIT-STRICT @source:SEED @setting:verified-only
      Examples: only verified emails
        | setting       | lands                                                      |
        | verified-only | goes to a new user of its own, the address kept on it only |

      @rule:VISIT-VERIFIED-HELD @source:SEED @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | lands                                                      |
        | verified-and-unverified | goes to a new user of its own, the address kept on it only |

      @rule:VISIT-CLAIM-VERIFIED @source:SEED @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        | lands                                                         |
        | claim-verified | joins Kim, marked as an anonymous claim of a verified address |

  Rule: A visitor who types an address a user holds unverified joins that user, except under "only verified emails"

    Background:
      Given Olga is a user who holds "olga.novak@example.com" unverified

    Scenario Outline: A visitor types Olga's address
      Given the account uses the "<setting>" setting
      When a visitor starts a conversation as "olga.novak@example.com"
      Then the conversation <lands>
      And Olga's email identities are unchanged

      @rule:VISIT-STRICT @source:SEED @setting:verified-only
      Examples: only verified emails
        | setting       | lands                                                      |
        | verified-only | goes to a new user of its own, the address kept on it only |

      @rule:VISIT-JOIN-UNVERIFIED @source:SEED @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 | lands      |
        | verified-and-unverified | joins Olga |

      @rule:VISIT-JOIN-UNVERIFIED @source:SEED @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        | lands      |
        | claim-verified | joins Olga |

  Rule: A visitor who types an address nobody holds becomes its unverified holder, except under "only verified emails"

    Scenario Outline: Priya types her address for the first time
      Given the account uses the "<setting>" setting
      When Priya writes in as a visitor, typing "priya.shah@example.com"
      Then Priya's conversation goes to a new user
      And Priya <holds>

      @rule:VISIT-STRICT @source:SEED @setting:verified-only
      Examples: only verified emails
        | setting       | holds                   |
        | verified-only | holds no email identity |

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | holds                                     |
        | verified-and-unverified | holds "priya.shah@example.com" unverified |

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | holds                                     |
        | claim-verified | holds "priya.shah@example.com" unverified |

  Rule: A signed-in customer with a verified address is handled the same under every setting

    Scenario Outline: Kim signs in with her verified address while a visitor's profile holds it unverified
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042"
      And Olga is a user who holds "kim.lee@example.com" unverified
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation joins Kim
      And Kim holds "kim.lee@example.com" verified
      And Olga holds no email identity

      @rule:AUTH-LINK-TAKE-UNVERIFIED @source:INF @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @rule:AUTH-LINK-TAKE-UNVERIFIED @source:INF @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @rule:AUTH-LINK-TAKE-UNVERIFIED @source:INF @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |
