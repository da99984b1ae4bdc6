Feature: A visitor who signs in mid-conversation as someone new

  A visitor may sign in during a conversation: the company's website hands the chat a token. The
  token is first read exactly as if it opened a new signed-in conversation, against the users as they
  stand; a token that would be turned away then (an invalid token, or another customer's verified
  address) turns the sign-in away and the conversation stays as it was. Otherwise what happens
  depends on the user the conversation is on: the profile created for this very conversation is
  upgraded or merged; a profile that existed before the conversation is left alone, and only the
  conversation moves.

  @rule:LOGIN-UPGRADE @source:DOC
  Rule: A visitor who signs in mid-conversation as someone new turns the visitor's profile into the signed-in customer

    Scenario Outline: Priya signs in during her chat: her visitor profile becomes her customer profile
      Given the account uses the "<setting>" setting
      And Priya wrote in as a visitor without an email
      When Priya signs in during the conversation with external id "priya-4410" and the verified email "priya.shah@example.com"
      Then Priya's visitor profile is upgraded to the customer with external id "priya-4410"
      And Priya holds "priya.shah@example.com" verified
      And Priya's conversation is signed in

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

    Scenario Outline: The address Priya typed as a visitor ends up verified on her profile
      Given the account uses the "<setting>" setting
      And Priya wrote in as a visitor, typing "priya.shah@example.com"
      When Priya signs in during the conversation with external id "priya-4410" and the verified email "priya.shah@example.com"
      Then Priya's visitor profile is upgraded to the customer with external id "priya-4410"
      And Priya holds "priya.shah@example.com" verified

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

    Scenario Outline: The upgraded profile takes the name the company knows
      Given the account uses the "<setting>" setting
      And Priya goes by "Priya Shah" in the company's records
      And Priya wrote in as a visitor without an email
      When Priya signs in during the conversation with external id "priya-4410" and no email
      Then Priya's visitor profile is upgraded to the customer with external id "priya-4410"
      And Priya is named "Priya Shah"
      And Priya holds no email identity

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

    Scenario Outline: A token that does not vouch for Priya's address: her upgraded profile keeps it unverified, except under "only verified emails"
      Given the account uses the "<setting>" setting
      And Priya wrote in as a visitor without an email
      When Priya signs in during the conversation with external id "priya-4410" and the email "priya.shah@example.com" marked unverified
      Then Priya's visitor profile is upgraded to the customer with external id "priya-4410"
      And Priya <holds>

      @setting:verified-only
      Examples: only verified emails
        | setting       | keeps it               | holds                   |
        | verified-only | gets no email identity | holds no email identity |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | keeps it                    | holds                                     |
        | verified-and-unverified | gets the address unverified | holds "priya.shah@example.com" unverified |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | keeps it                    | holds                                     |
        | claim-verified | gets the address unverified | holds "priya.shah@example.com" unverified |

    Scenario Outline: A profile an agent gave Kim's verified address is upgraded when the visitor signs in as Kim
      Given the account uses the "<setting>" setting
      And Kim is a user who holds "kim.lee@example.com" verified
      And Priya wrote in as a visitor without an email
      And an agent merged Kim into Priya
      When Priya signs in during the conversation with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then Priya's visitor profile is upgraded to the customer with external id "kim-1042"
      And Priya holds "kim.lee@example.com" verified

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
