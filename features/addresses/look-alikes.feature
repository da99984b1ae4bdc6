Feature: Addresses that look alike are different addresses

  Two addresses are the same email identity only when they are equal once plain spaces around them
  are removed and the letters A to Z are made lower case. Nothing else is folded: no Unicode case
  folding or normalisation (a Kelvin sign is not a K, a dotless i is not an i, ß is not ss), and no
  provider rules (Gmail ignores dots and "+tag", the platform does not).
  A character that is hard to see is written as \uXXXX, its Unicode code point: \u212A is the Kelvin
  sign (it looks like K), \u0131 the dotless i, \u0020 a plain space, \u00A0 a no-break space,
  \u200B a zero-width space, \u0009 a tab, \uFEFF a byte order mark, \u202E a right-to-left override.

  Rule: A visitor typing a look-alike of an unverified address does not join its holder

    Scenario Outline: A visitor typing "<typed>" does not join <holder>, who holds "<held>" unverified, under "<setting>"
      Given the account uses the "<setting>" setting
      And <holder> is a user who holds "<held>" unverified
      When a visitor starts a conversation as "<typed>"
      Then the conversation goes to a new user
      And the visitor holds "<typed>" unverified
      And <holder>'s email identities are unchanged

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | holder | held                 | typed                        |
        | verified-and-unverified | Kelly  | kelly@example.com    | \u212Aelly@example.com       |
        | verified-and-unverified | Ivan   | ivan@example.com     | \u0131van@example.com        |
        | verified-and-unverified | Greta  | strasse@example.com  | straße@example.com           |
        | verified-and-unverified | Ann    | ann.lee@gmail.com    | annlee@gmail.com             |
        | verified-and-unverified | Ben    | ben.okafor@gmail.com | ben.okafor+support@gmail.com |

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | holder | held               | typed                  |
        | claim-verified | Kelly  | kelly@example.com  | \u212Aelly@example.com |
        | claim-verified | Greta  | straße@example.com | strasse@example.com    |
        | claim-verified | Ann    | annlee@gmail.com   | ann.lee@gmail.com      |

  Rule: A visitor typing a look-alike of a verified address cannot claim it, even with claiming on

    Scenario Outline: A visitor typing "<typed>" does not reach <holder>, who holds "<held>" verified, under "<setting>"
      Given the account uses the "<setting>" setting
      And <holder> is a user with external id "<id>" who holds "<held>" verified
      When a visitor starts a conversation as "<typed>"
      Then the conversation goes to a new user
      And the conversation carries no warning
      And <holder>'s email identities are unchanged

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | holder | id       | held              | typed                     |
        | claim-verified | Kelly  | kelly-19 | kelly@example.com | \u212Aelly@example.com    |
        | claim-verified | Ivan   | ivan-23  | ivan@example.com  | \u0131van@example.com     |
        | claim-verified | Ann    | ann-1    | ann.lee@gmail.com | ann.lee+support@gmail.com |

  Rule: A signed-in customer with a look-alike of a verified address is a new customer, not a conflict

    Scenario Outline: Mallory signs in with a Kelvin-sign look-alike of Kelly's verified address, under "<setting>"
      Given the account uses the "<setting>" setting
      And Kelly is a user with external id "kelly-19" who holds "kelly@example.com" verified
      When Mallory signs in with external id "mallory-666" and the verified email "\u212Aelly@example.com"
      Then Mallory's conversation goes to a new user
      And Mallory holds "\u212Aelly@example.com" verified
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
