Feature: A signed-in customer's first conversation

  A signed-in customer writes in with a token from the company's own login. The token names the
  customer's external id (the company's customer number) and usually their name and email, saying
  whether the company has verified that email. The external id comes first: the email only decides
  when no user has that external id yet. The email-identity setting changes none of this, so every
  rule below is shown under each of the three settings.

  @rule:AUTH-NEW @source:SEED
  Rule: A signed-in customer nobody knows becomes a new user holding the email verified

    Scenario Outline: Kim's first signed-in conversation creates her profile
      Given the account uses the "<setting>" setting
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then Kim's conversation goes to a new user
      And Kim has external id "kim-1042"
      And Kim is named "Kim"
      And Kim holds "kim.lee@example.com" verified
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

  @rule:AUTH-NEW-SUPERSEDE @source:SEED
  Rule: A new signed-in customer takes a verified address from whoever held it unverified

    Alex once typed Sam's address; the company's login now vouches that it is Sam's. A verified
    identity supersedes an unverified one (the help center's worked example): Sam gets it, Alex
    loses only that address.

    Scenario Outline: Sam's verified address moves to him from Alex, who had only typed it
      Given the account uses the "<setting>" setting
      And Alex is a user who holds "sam.ortiz@example.com" unverified
      And Alex also holds "alex.kim@example.com" unverified
      When Sam signs in with external id "sam-2208" and the verified email "sam.ortiz@example.com"
      Then Sam's conversation goes to a new user
      And Sam holds "sam.ortiz@example.com" verified
      And Alex no longer holds "sam.ortiz@example.com"
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

    Scenario Outline: A visitor who typed Sam's address keeps the conversation but loses the address when Sam signs in
      Given the account uses the "<setting>" setting
      And Nora wrote in as a visitor, typing "sam.ortiz@example.com"
      When Sam signs in with external id "sam-2208" and the verified email "sam.ortiz@example.com"
      Then Sam holds "sam.ortiz@example.com" verified
      And Nora's conversation goes to a new user
      And Nora holds no email identity

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |
