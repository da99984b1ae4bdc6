Feature: Sign-ins with a bad token are turned away and change nothing

  The company's website signs a token for each signed-in customer with a secret it shares with the
  messaging platform. A token that fails any check is turned away as an invalid token (the help
  center answers "unauthorized"), the conversation is not signed in, and nothing is written. Some of
  these checks a token library makes by itself; others (an expiry that is not a number,
  email_verified given as the text "true", a duplicated member, white space) it accepts by default, so
  the platform must make them itself. The report's glossary names the signing methods and key names
  these tokens get wrong.

  Every token below is Ann's: a good one would say external id "ann-1" and the verified email
  ann@example.com, and Ann already holds that address unverified, so an accepted token would change
  her profile. Each token differs from the good one in one way only. The checks do not depend on the
  email-identity setting, so the catalog is spread over the three settings.

  @rule:AUTH-INVALID-TOKEN @source:DOC
  Rule: A sign-in whose token fails verification is turned away and changes nothing

    Background:
      Given Ann is a user who holds "ann@example.com" unverified
      And the company's website knows Ann as external id "ann-1" with the verified email "ann@example.com"

    Scenario Outline: A sign-in with a bad token is turned away
      Given the account uses the "<setting>" setting
      When Ann signs in with <token>
      Then Ann's sign-in is turned away as an invalid token
      And no conversation is recorded for Ann's sign-in
      And nothing changes

      @setting:verified-only
      Examples: signature, signing key and form of the token
        | setting       | token                                                                 |
        | verified-only | a token signed with another company's secret                          |
        | verified-only | a token that says it needs no signature                               |
        | verified-only | a token that says it needs no signature and has none                  |
        | verified-only | a token signed by another method than the agreed one                            |
        | verified-only | a token that claims a public-key signature made with the company's secret |
        | verified-only | a token naming a signing key the company does not have                |
        | verified-only | a token naming the company's signing key in capitals                  |
        | verified-only | a token naming no signing key                                         |
        | verified-only | a token asking for an extension nobody understands                    |
        | verified-only | a token with a space inside                                           |
        | verified-only | a token with a newline at the end                                     |
        | verified-only | a token padded with "="                                               |
        | verified-only | a token with a "+" in its signature                                   |
        | verified-only | a token whose signature is spelled in a non-canonical way             |
        | verified-only | a token in two parts instead of three                                 |

      @setting:verified-and-unverified
      Examples: time, scope and external id
        | setting                 | token                                            |
        | verified-and-unverified | a token that expired a minute ago                |
        | verified-and-unverified | a token whose expiry is too large to be a number |
        | verified-and-unverified | a token whose expiry is written as text          |
        | verified-and-unverified | a token issued a minute in the future            |
        | verified-and-unverified | a token whose issue time is written as text      |
        | verified-and-unverified | a token not valid until a minute from now        |
        | verified-and-unverified | a token without a scope                          |
        | verified-and-unverified | a token whose scope is "admin"                   |
        | verified-and-unverified | a token without an external id                   |
        | verified-and-unverified | a token with an empty external id                |
        | verified-and-unverified | a token whose external id is a number            |
        | verified-and-unverified | a token whose external id is a list              |
        | verified-and-unverified | a token whose external id is 256 characters long |

      @setting:claim-verified
      Examples: email, name, and what is written inside the token
        | setting        | token                                               |
        | claim-verified | a token whose email_verified is the text "true"     |
        | claim-verified | a token whose email_verified is the text "false"    |
        | claim-verified | a token whose email_verified is the number 1        |
        | claim-verified | a token whose email_verified is the number 0        |
        | claim-verified | a token whose email_verified is null                |
        | claim-verified | a token whose name is a number                      |
        | claim-verified | a token whose email is not an address               |
        | claim-verified | a token whose email is null                         |
        | claim-verified | a token that names its signing key twice   |
        | claim-verified | a token with its external id given twice            |
        | claim-verified | a token whose payload starts with a byte order mark |
        | claim-verified | a token whose name holds half of a surrogate pair   |
        | claim-verified | a token larger than 8 KiB                           |

    Scenario Outline: A visitor who signs in during a chat with a bad token stays a visitor
      Given the account uses the "<setting>" setting
      And Ann wrote in as a visitor without an email
      When Ann signs in during the conversation with <token>
      Then Ann's sign-in is turned away as an invalid token
      And Ann's conversation is still not signed in
      And nothing changes

      @setting:verified-only
      Examples: only verified emails
        | setting       | token                                           |
        | verified-only | a token signed with another company's secret    |
        | verified-only | a token that expired a minute ago               |
        | verified-only | a token whose email_verified is the text "true" |

      @setting:verified-and-unverified
      Examples: verified and unverified emails
        | setting                 | token                                                  |
        | verified-and-unverified | a token naming a signing key the company does not have |
        | verified-and-unverified | a token without an external id                         |
        | verified-and-unverified | a token with its external id given twice               |

      @setting:claim-verified
      Examples: visitors may claim verified emails
        | setting        | token                                   |
        | claim-verified | a token that says it needs no signature |
        | claim-verified | a token whose email is not an address   |
        | claim-verified | a token with a newline at the end       |
