Feature: A visitor who signs in mid-conversation as a known customer

  A visitor may sign in during a conversation: the company's website hands the chat a token. The
  token is first read exactly as if it opened a new signed-in conversation, against the users as they
  stand; a token that would be turned away then (an invalid token, or another customer's verified
  address) turns the sign-in away and the conversation stays as it was. Otherwise what happens
  depends on the user the conversation is on: the profile created for this very conversation is
  upgraded or merged; a profile that existed before the conversation is left alone, and only the
  conversation moves.

  @rule:LOGIN-MERGE @source:DOC
  Rule: A visitor who signs in mid-conversation as a known customer has the visitor's profile merged into that customer

    The help center: when a user already has the external id, the visitor's profile and its
    conversations are merged into it. Whatever the visitor's profile holds moves along, with its
    verified flag as it was: under the two settings that store typed addresses, that includes an
    address the visitor typed and the conversations of other visitors who typed it too. That is a
    known risk, marked on those settings: a stranger's visitor profile can gather another visitor's
    conversation and carry it off when he signs in.

    Background:
      Given Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified

    Scenario Outline: Kim chats as a visitor, then signs in: her visitor profile is merged into her customer profile
      Given the account uses the "<setting>" setting
      And Kim wrote in as a visitor without an email
      When Kim signs in during the conversation with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then Kim's visitor profile is merged into Kim
      And Kim's conversation joins Kim
      And Kim's conversation is signed in
      And Kim's email identities are unchanged

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: The personal address Kim typed as a visitor moves to her profile and is verified by her token
      Given the account uses the "<setting>" setting
      And Kim wrote in as a visitor, typing "kim@lee-family.example"
      When Kim signs in during the conversation with external id "kim-1042" and the verified email "kim@lee-family.example"
      Then Kim's visitor profile is merged into Kim
      And Kim holds "kim@lee-family.example" verified
      And Kim still holds "kim.lee@example.com" verified

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: A visitor known only by a verified address is merged into that profile, which takes the external id
      Given the account uses the "<setting>" setting
      And Hiro is a user who holds "hiro.tanaka@example.com" verified
      And Hiro wrote in as a visitor without an email
      When Hiro signs in during the conversation with external id "hiro-5530" and the verified email "hiro.tanaka@example.com"
      Then Hiro's visitor profile is merged into Hiro
      And Hiro has external id "hiro-5530"
      And Hiro's conversation joins Hiro

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: A verified address the visitor's profile brought along is no conflict once merged
      Given the account uses the "<setting>" setting
      And Greta is a user who holds "greta.berg@example.com" verified
      And Priya wrote in as a visitor without an email
      And an agent merged Greta into Priya
      When Priya signs in during the conversation with external id "kim-1042" and the verified email "greta.berg@example.com"
      Then Priya's visitor profile is merged into Kim
      And Kim holds "greta.berg@example.com" verified
      And the conversation carries no warning

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: A token that does not vouch for its address still merges the visitor into the known customer
      Given the account uses the "<setting>" setting
      And Kim wrote in as a visitor without an email
      When Kim signs in during the conversation with external id "kim-1042" and the email "kim@lee-family.example" marked unverified
      Then Kim's visitor profile is merged into Kim
      And Kim <holds>
      And Kim still holds "kim.lee@example.com" verified

      @setting:verified-only
      Examples: only verified emails
        | setting       | holds                                  |
        | verified-only | does not hold "kim@lee-family.example" |

      @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 | holds                                     |
        | verified-and-unverified | holds "kim@lee-family.example" unverified |

      @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        | holds                                     |
        | claim-verified | holds "kim@lee-family.example" unverified |

    Scenario Outline: Kim signs in mid-chat with the family address Dana holds verified: merged into Kim, the address stays with Dana
      Given the account uses the "<setting>" setting
      And Dana is a user with external id "dana-311" who holds "novak.family@example.com" verified
      And Kim wrote in as a visitor without an email
      When Kim signs in during the conversation with external id "kim-1042" and the verified email "novak.family@example.com"
      Then Kim's visitor profile is merged into Kim
      And Kim's sign-in is marked as an address conflict
      And Dana's email identities are unchanged

      @setting:verified-only
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |

    Scenario Outline: Mallory types an address, Kim types it too, and Mallory's sign-in carries Kim's conversation off
      Given the account uses the "<setting>" setting
      And Mallory is a user with external id "mallory-666" who holds "mallory@example.net" verified
      And Mallory wrote in as a visitor, typing "kim@lee-family.example"
      And Kim wrote in as a visitor, typing "kim@lee-family.example"
      When Mallory signs in during the conversation with external id "mallory-666" and the verified email "mallory@example.net"
      Then Mallory's visitor profile is merged into Mallory
      And Kim's conversation <lands>
      And Mallory <holds>

      @setting:verified-only
      Examples: only verified emails
        | setting       | lands              | holds                                  |
        | verified-only | goes to a new user | does not hold "kim@lee-family.example" |

      @setting:verified-and-unverified @risk
      Examples: verified and unverified emails
        | setting                 | lands         | holds                                     |
        | verified-and-unverified | joins Mallory | holds "kim@lee-family.example" unverified |

      @setting:claim-verified @risk
      Examples: visitors may claim verified emails
        | setting        | lands         | holds                                     |
        | claim-verified | joins Mallory | holds "kim@lee-family.example" unverified |
