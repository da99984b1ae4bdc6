Feature: Addresses that look alike are different addresses

  Two addresses are the same email identity only when they are equal once plain spaces around them
  are removed and the letters A to Z are made lower case. Nothing else is folded: no Unicode case
  folding or normalisation (a Kelvin sign is not a K, a dotless i is not an i, ß is not ss), and no
  provider rules (Gmail ignores dots and "+tag", the platform does not).
  Look-alike letters are written as they look, and each example says what they are (a Kelvin sign K,
  not the letter K). A character nobody can see, such as a space around an address, a zero-width space
  or a tab, is written as a code of the form \u0020, and each example says in words what it is.

  Rule: A visitor typing a look-alike of an unverified address does not join its holder

    Scenario Outline: A visitor typing a look-alike of an address someone holds unverified does not join its holder
      Given the account uses the "<setting>" setting
      And <holder> is a user who holds "<held>" unverified
      When a visitor starts a conversation as "<typed>"
      Then the conversation goes to a new user
      And the visitor holds "<typed>" unverified
      And <holder>'s email identities are unchanged

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | holder | held                 | typed                        | what differs                                       |
        | verified-and-unverified | Kelly  | kelly@example.com    | Kelly@example.com           | a Kelvin sign K, not the letter K                  |
        | verified-and-unverified | Ivan   | ivan@example.com     | ıvan@example.com            | a dotless ı, not the letter i                      |
        | verified-and-unverified | Greta  | strasse@example.com  | straße@example.com           | the letter ß, not ss                               |
        | verified-and-unverified | Ann    | ann.lee@gmail.com    | annlee@gmail.com             | no dot (Gmail ignores dots; the platform does not) |
        | verified-and-unverified | Ben    | ben.okafor@gmail.com | ben.okafor+support@gmail.com | a "+support" tag                                   |

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | holder | held               | typed                  | what differs                      |
        | claim-verified | Kelly  | kelly@example.com  | Kelly@example.com     | a Kelvin sign K, not the letter K |
        | claim-verified | Greta  | straße@example.com | strasse@example.com    | ss, not the letter ß              |
        | claim-verified | Ann    | annlee@gmail.com   | ann.lee@gmail.com      | a dot                             |

  Rule: A visitor typing a look-alike of a verified address cannot claim it, even with claiming on

    Scenario Outline: A visitor typing a look-alike of a verified customer's address does not reach her, even with claiming on
      Given the account uses the "<setting>" setting
      And <holder> is a user with external id "<id>" who holds "<held>" verified
      When a visitor starts a conversation as "<typed>"
      Then the conversation goes to a new user
      And the conversation carries no warning
      And <holder>'s email identities are unchanged

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | holder | id       | held              | typed                     | what differs                      |
        | claim-verified | Kelly  | kelly-19 | kelly@example.com | Kelly@example.com        | a Kelvin sign K, not the letter K |
        | claim-verified | Ivan   | ivan-23  | ivan@example.com  | ıvan@example.com         | a dotless ı, not the letter i     |
        | claim-verified | Ann    | ann-1    | ann.lee@gmail.com | ann.lee+support@gmail.com | a "+support" tag                  |

  Rule: A signed-in customer with a look-alike of a verified address is a new customer, not a conflict

    Scenario Outline: Mallory signs in with a look-alike of Kelly's verified address
      Mallory's address starts with a Kelvin sign K, not the letter K: it looks like Kelly's, and is another address.

      Given the account uses the "<setting>" setting
      And Kelly is a user with external id "kelly-19" who holds "kelly@example.com" verified
      When Mallory signs in with external id "mallory-666" and the verified email "Kelly@example.com"
      Then Mallory's conversation goes to a new user
      And Mallory holds "Kelly@example.com" verified
      And Kelly's email identities are unchanged

      @setting:verified-only @rule:AUTH-NEW @source:SEED
      Examples: only verified emails
        | setting       |
        | verified-only |

      @setting:verified-and-unverified @rule:AUTH-NEW @source:SEED
      Examples: verified and unverified emails
        | setting                 |
        | verified-and-unverified |

      @setting:claim-verified @rule:AUTH-NEW @source:SEED
      Examples: visitors may claim verified emails
        | setting        |
        | claim-verified |
