Feature: Text that is not a usable address

  A usable address has exactly one "@", something before it, a domain after it without empty labels
  (no leading, trailing or double dot), at most 254 characters, and, once the plain spaces around it
  are removed, no white space, control or invisible formatting character left. Nothing else is
  checked: the part before the "@" is free, and a domain needs no dot. A visitor who types anything
  else is treated as giving no email (the conversation keeps the text and is marked); a token whose
  email is not usable is an invalid token.
  Look-alike letters are written as they look, and each example says what they are (a Kelvin sign K,
  not the letter K). A character nobody can see, such as a space around an address, a zero-width space
  or a tab, is written as a code of the form \u0020, and each example says in words what it is.

  Rule: A visitor's text that is not a usable address never becomes an email identity

    Scenario Outline: A visitor typing text that is not a usable address gets a profile of her own
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor, typing "<typed>"
      Then Olga's conversation goes to a new user
      And Olga holds no email identity
      And the conversation keeps the typed text "<typed>"
      And the conversation is marked as not carrying a usable address

      @rule:VISIT-BAD-EMAIL @source:INF @setting:verified-only
      Examples: only verified emails
        | setting       | typed                        | why                          |
        | verified-only | olga\u200B.novak@example.com | a zero-width space inside    |
        | verified-only | olga.novak@example..com      | an empty label in the domain |
        | verified-only | olga.novak.example.com       | no "@"                       |

      @rule:VISIT-BAD-EMAIL @source:INF @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | typed                        | why                             |
        | verified-and-unverified | olga\u200B.novak@example.com | a zero-width space inside       |
        | verified-and-unverified | \u00A0olga.novak@example.com | a no-break space before it      |
        | verified-and-unverified | olga.novak@example.com\u0009 | a tab after it                  |
        | verified-and-unverified | olga.novak@example.com\uFEFF | a byte order mark after it      |
        | verified-and-unverified | olga\u202E.novak@example.com | a right-to-left override inside |
        | verified-and-unverified | olga novak@example.com       | a space inside                  |
        | verified-and-unverified | olga.novak@example..com      | an empty label in the domain    |
        | verified-and-unverified | olga.novak@.example.com      | a domain starting with a dot    |
        | verified-and-unverified | olga.novak@example.com.      | a domain ending with a dot      |
        | verified-and-unverified | olga.novak.example.com       | no "@"                          |
        | verified-and-unverified | olga@novak@example.com       | two "@"                         |
        | verified-and-unverified | @example.com                 | nothing before the "@"          |
        | verified-and-unverified | olga.novak@                  | nothing after the "@"           |

      @rule:VISIT-BAD-EMAIL @source:INF @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | typed                        | why                        |
        | claim-verified | \u00A0olga.novak@example.com | a no-break space before it |
        | claim-verified | olga.novak@example.com\uFEFF | a byte order mark after it |
        | claim-verified | olga@novak@example.com       | two "@"                    |

  Rule: Unusual but usable addresses are addresses

    Scenario Outline: A visitor typing an unusual but usable address becomes its unverified holder
      Given the account uses the "<setting>" setting
      When Olga writes in as a visitor, typing "<typed>"
      Then Olga's conversation goes to a new user
      And Olga holds "<typed>" unverified
      And the conversation carries no warning

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | typed                    | why                     |
        | verified-and-unverified | olga@localhost           | a domain without a dot  |
        | verified-and-unverified | olga..novak@example.com  | two dots before the "@" |
        | verified-and-unverified | olga+support@example.com | a +tag                  |
        | verified-and-unverified | ölga.növak@exämple.com   | letters beyond A to Z   |

      @rule:VISIT-NEW-UNVERIFIED @source:SEED @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | typed              | why                                 |
        | claim-verified | olga@localhost     | a domain without a dot              |
        | claim-verified | .olga.@example.com | dots around the part before the "@" |

  Rule: A token whose email is not a usable address is an invalid token

    Scenario Outline: Olga's token carries an email that is not a usable address: her sign-in is turned away
      Given the account uses the "<setting>" setting
      And Olga is a user who holds "olga.novak@example.com" unverified
      When Olga signs in with external id "olga-7731" and the verified email "<email>"
      Then Olga's sign-in is turned away as an invalid token
      And nothing changes

      @rule:AUTH-INVALID-TOKEN @source:DOC @setting:verified-only
      Examples: only verified emails
        | setting       | email                        | why                          |
        | verified-only | olga\u200B.novak@example.com | a zero-width space inside    |
        | verified-only | olga.novak@example..com      | an empty label in the domain |

      @rule:AUTH-INVALID-TOKEN @source:DOC @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | email                        | why                        |
        | verified-and-unverified | \u00A0olga.novak@example.com | a no-break space before it |
        | verified-and-unverified |                              | an empty email             |

      @rule:AUTH-INVALID-TOKEN @source:DOC @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | email                        | why                        |
        | claim-verified | olga.novak@example.com\uFEFF | a byte order mark after it |
        | claim-verified | olga@novak@example.com       | two "@"                    |
