Feature: A signed-in customer whose token does not vouch for an email

  A token may carry no email, or an email without "email_verified": true. Then the external id alone
  decides who the customer is. Only a token that says "email_verified": true (the value true, not
  the text "true") makes an address verified. This is the one place where the email-identity setting
  reaches a signed-in customer: under "only verified emails" an address the company does not vouch for
  is not stored at all; under the other two settings it is kept as an unverified identity, and only if
  nobody holds it yet.

  @rule:AUTH-NO-EMAIL @source:SEED
  Rule: A signed-in customer without an email is found, or created, by external id alone

    Scenario Outline: Kim's token carries no email: her conversation joins her profile by customer number
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" unverified
      When Kim signs in with external id "kim-1042" and no email
      Then the conversation joins Kim
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

    Scenario Outline: A customer nobody knows and without email becomes a new user without email identity
      Given the account uses the "<setting>" setting
      When Hiro signs in with external id "hiro-5530" and no email
      Then Hiro's conversation goes to a new user
      And Hiro has external id "hiro-5530"
      And Hiro holds no email identity

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

  @rule:AUTH-UNVERIFIED-CLAIM
  Rule: A signed-in customer whose email is not vouched for is found by external id; the address is kept only unverified, and only outside "only verified emails"

    Zendesk's help center says so for "only verified emails". For the two other settings the sources
    are silent; keeping the address unverified is our own reading, following from "only a token with
    email_verified true verifies". That has a cost, marked as a known risk: any visitor who later types the address
    joins this signed-in customer.

    Scenario Outline: Hiro's token says his email is not verified: he keeps it unverified, except under "only verified emails"
      Given the account uses the "<setting>" setting
      When Hiro signs in with external id "hiro-5530" and the email "hiro.tanaka@example.com" marked unverified
      Then Hiro's conversation goes to a new user
      And Hiro has external id "hiro-5530"
      And Hiro <holds>

      @setting:verified-only @source:DOC
      Examples: only verified emails
        | setting       | keeps it               | holds                   |
        | verified-only | gets no email identity | holds no email identity |

      @setting:verified-and-unverified @source:INF @risk
      Examples: verified and unverified emails
        | setting                 | keeps it                     | holds                                      |
        | verified-and-unverified | keeps the address unverified | holds "hiro.tanaka@example.com" unverified |

      @setting:claim-verified @source:INF @risk
      Examples: visitors may claim verified emails
        | setting        | keeps it                     | holds                                      |
        | claim-verified | keeps the address unverified | holds "hiro.tanaka@example.com" unverified |

    Scenario Outline: Kim's token leaves out whether her new address is verified: she gets it unverified, except under "only verified emails"
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@oldcorp.example" verified
      When Kim signs in with external id "kim-1042" and the email "kim.lee@example.com" without saying whether it is verified
      Then the conversation joins Kim
      And Kim still holds "kim.lee@oldcorp.example" verified
      And Kim <holds>

      @setting:verified-only @source:DOC
      Examples: only verified emails
        | setting       | keeps it        | holds                               |
        | verified-only | does not get it | does not hold "kim.lee@example.com" |

      @setting:verified-and-unverified @source:INF @risk
      Examples: verified and unverified emails
        | setting                 | keeps it           | holds                                  |
        | verified-and-unverified | gets it unverified | holds "kim.lee@example.com" unverified |

      @setting:claim-verified @source:INF @risk
      Examples: visitors may claim verified emails
        | setting        | keeps it           | holds                                  |
        | claim-verified | gets it unverified | holds "kim.lee@example.com" unverified |

    Scenario Outline: An address someone else holds stays where it is
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042"
      And Alex is a user who holds "kim.lee@example.com" unverified
      When Kim signs in with external id "kim-1042" and the email "kim.lee@example.com" marked unverified
      Then the conversation joins Kim
      And Kim holds no email identity
      And Alex's email identities are unchanged

      @setting:verified-only @source:DOC
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @source:INF @risk
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @source:INF @risk
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: A visitor who later types the address Kim's token left unverified joins Kim, except under "only verified emails"
      Given the account uses the "<setting>" setting
      And Kim signed in with external id "kim-1042" and the email "kim.lee@example.com" marked unverified
      When a visitor starts a conversation as "kim.lee@example.com"
      Then the conversation <goes>

      @setting:verified-only @source:DOC
      Examples: only verified emails
        | setting       | lands                     | goes               |
        | verified-only | gets a profile of its own | goes to a new user |

      @setting:verified-and-unverified @source:INF @risk
      Examples: verified and unverified emails
        | setting                 | lands                               | goes      |
        | verified-and-unverified | joins Kim's signed-in conversations | joins Kim |

      @setting:claim-verified @source:INF @risk
      Examples: visitors may claim verified emails
        | setting        | lands                               | goes      |
        | claim-verified | joins Kim's signed-in conversations | joins Kim |
