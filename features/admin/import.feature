Feature: Importing the company's customers

  The migration advice of the article on these settings: before relying on signed-in conversations, import your user
  database with each customer's external id (the company's customer number) and their addresses,
  marking the ones the company has verified. Imported customers are then recognised when they sign
  in. An import line that would give an address or an external id a second owner is refused with its
  line number; the other lines are imported.

  @rule:ADMIN-IMPORT @source:SEED
  Rule: An imported user list creates or completes users; a line that would break an invariant is refused with its line number

    Scenario Outline: Customers imported with their customer numbers are recognised when they sign in
      Given the account uses the "<setting>" setting
      And the admin imported these users:
        | customer | external id | verified emails     | unverified emails |
        | Kim      | kim-1042    | kim.lee@example.com |                   |
        | Hiro     | hiro-5530   |                     |                   |
      When Kim signs in with external id "kim-1042" and the verified email "kim.lee@example.com"
      Then the conversation joins Kim
      And Kim holds "kim.lee@example.com" verified
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

    Scenario Outline: An import completes the profile a visitor left: it adds the customer number and verifies the address
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      When the admin imports these users:
        | customer | external id | verified emails        |
        | Olga     | olga-7731   | olga.novak@example.com |
      Then line 2 of the import completes Olga
      And Olga has external id "olga-7731"
      And Olga holds "olga.novak@example.com" verified

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

    Scenario Outline: A line that would give Kim's verified address to Leo is refused, and the other lines are imported
      Given the account uses the "<setting>" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      And Leo is a user with external id "leo-312"
      When the admin imports these users:
        | customer | external id | verified emails          |
        | Hiro     | hiro-5530   | hiro.tanaka@example.com  |
        | Leo      | leo-312     | kim.lee@example.com      |
        | Farah    | farah-880   | farah.haddad@example.com |
      Then line 3 of the import is refused because the address belongs to another user
      And the other lines of the import are accepted
      And Kim's email identities are unchanged
      And Farah holds "farah.haddad@example.com" verified

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
    Scenario: Lines with an unusable or repeated address, or addresses of two different users, are refused
      Given the account uses the "verified-and-unverified" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      And Olga is a user who holds "olga.novak@example.com" unverified
      When the admin imports these users:
        | customer | external id | verified emails          | unverified emails        |
        | Hiro     | hiro-5530   | hiro.tanaka@example.com  | hiro@@example.com        |
        | Farah    | farah-880   | farah.haddad@example.com | Farah.Haddad@example.com |
        | Nadia    |             | kim.lee@example.com      | olga.novak@example.com   |
        | Yuki     | yuki-77     | yuki.sato@example.com    |                          |
      Then line 2 of the import is refused because the address is not usable
      And line 3 of the import is refused because the address is listed twice
      And line 4 of the import is refused because its addresses belong to different users
      And the other lines of the import are accepted

    @setting:verified-and-unverified
    Scenario: A line whose address belongs to a customer with another customer number is refused
      Given the account uses the "verified-and-unverified" setting
      And Kim is a user with external id "kim-1042" who holds "kim.lee@example.com" verified
      When the admin imports these users:
        | customer | external id | verified emails       |
        | Kim      | kim-2077    | kim.lee@example.com   |
        | Yuki     | yuki-77     | yuki.sato@example.com |
      Then line 2 of the import is refused because its addresses belong to a customer with another external id
      And the other lines of the import are accepted
      And Kim has external id "kim-1042"
