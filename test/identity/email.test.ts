import { strict as assert } from 'node:assert';
import {
  type AddressProblem,
  describeAddressProblem,
  foldAsciiCase,
  MAX_ADDRESS_LENGTH,
  normaliseAddress,
  parseAddress,
  trimSpaces,
} from '../../src/identity/email';

/** Asserts `raw` is usable and returns its stored spelling and key. */
function usable(raw: unknown): { address: string; normalised: string } {
  const parsed = parseAddress(raw);
  assert.ok(parsed.usable, `expected ${JSON.stringify(raw)} to be usable, got ${JSON.stringify(parsed)}`);
  return { address: parsed.address, normalised: parsed.normalised };
}

function unusable(raw: unknown, problem: AddressProblem): void {
  assert.deepEqual(parseAddress(raw), { usable: false, problem }, `for ${JSON.stringify(raw)}`);
}

/** An address of exactly `length` UTF-16 code units. */
function addressOfLength(length: number): string {
  const domain = '@example.com';
  return 'a'.repeat(length - domain.length) + domain;
}

describe('email addresses (inputs.md)', () => {
  describe('trimming and folding', () => {
    it('trims only U+0020 and folds only A-Z', () => {
      assert.equal(normaliseAddress('  Olga@Example.COM '), 'olga@example.com');
    });

    it('trimSpaces removes U+0020 at both ends and nothing else', () => {
      assert.equal(trimSpaces('   a b  '), 'a b');
      assert.equal(trimSpaces('\uFEFFa\uFEFF'), '\uFEFFa\uFEFF');
      assert.equal(trimSpaces('\u00A0a\u00A0'), '\u00A0a\u00A0');
      assert.equal(trimSpaces('\ta\n'), '\ta\n');
      assert.equal(trimSpaces('    '), '');
    });

    it('foldAsciiCase maps A-Z only', () => {
      assert.equal(foldAsciiCase('ABCXYZ@[\\]^_`'), 'abcxyz@[\\]^_`');
      assert.equal(foldAsciiCase('\u212A\u0130ÀÉ'), '\u212A\u0130ÀÉ');
      assert.equal(foldAsciiCase('STRAßE'), 'straße');
      assert.equal(foldAsciiCase('already lower'), 'already lower');
    });

    it('stores the trimmed spelling and keys on the folded form', () => {
      assert.deepEqual(usable('  Olga@Example.COM '), { address: 'Olga@Example.COM', normalised: 'olga@example.com' });
      assert.deepEqual(usable('olga@example.com'), { address: 'olga@example.com', normalised: 'olga@example.com' });
    });

    it('gives the same key to spellings that differ only in A-Z case and surrounding spaces', () => {
      const keys = ['OLGA@EXAMPLE.COM', ' olga@example.com', 'Olga@example.Com  '].map((raw) => usable(raw).normalised);
      assert.deepEqual(keys, ['olga@example.com', 'olga@example.com', 'olga@example.com']);
    });
  });

  describe('no Unicode case folding or normalisation', () => {
    it('the Kelvin sign does not collide with k', () => {
      const kelvin = usable('\u212Aelly@example.com');
      assert.equal(kelvin.normalised, '\u212Aelly@example.com');
      assert.notEqual(kelvin.normalised, usable('kelly@example.com').normalised);
      assert.notEqual(kelvin.normalised, usable('Kelly@example.com').normalised);
    });

    it('the dotless ı does not collide with i', () => {
      const dotless = usable('ıvan@example.com');
      assert.equal(dotless.normalised, 'ıvan@example.com');
      assert.notEqual(dotless.normalised, usable('ivan@example.com').normalised);
      assert.notEqual(dotless.normalised, usable('IVAN@example.com').normalised);
    });

    it('ß does not collide with ss', () => {
      const sharp = usable('straße@example.com');
      assert.equal(sharp.normalised, 'straße@example.com');
      assert.notEqual(sharp.normalised, usable('strasse@example.com').normalised);
      assert.notEqual(sharp.normalised, usable('STRASSE@example.com').normalised);
    });

    it('composed and decomposed accents stay distinct', () => {
      assert.notEqual(usable('jos\u00E9@example.com').normalised, usable('jose\u0301@example.com').normalised);
    });
  });

  describe('provider conventions are not rewritten', () => {
    it('gmail dots and +tags give three addresses', () => {
      const keys = new Set(['a.b@gmail.com', 'ab@gmail.com', 'ab+tag@gmail.com'].map((raw) => usable(raw).normalised));
      assert.equal(keys.size, 3);
    });

    it('a double dot in the local part is usable', () => {
      assert.deepEqual(usable('a..b@x'), { address: 'a..b@x', normalised: 'a..b@x' });
    });

    it('a domain without a dot is usable', () => {
      assert.equal(usable('root@localhost').address, 'root@localhost');
    });

    it('a leading or trailing dot in the local part is usable', () => {
      usable('.a@example.com');
      usable('a.@example.com');
    });
  });

  describe('unusable addresses', () => {
    it('not a string', () => {
      for (const raw of [null, undefined, 42, true, ['a@b.c'], { address: 'a@b.c' }]) unusable(raw, 'not-a-string');
    });

    it('no @ or more than one', () => {
      unusable('olga.example.com', 'at-sign-count');
      unusable('a@b@example.com', 'at-sign-count');
      unusable('@@', 'at-sign-count');
      unusable('', 'at-sign-count');
      unusable('   ', 'at-sign-count');
    });

    it('empty local part or domain', () => {
      unusable('@example.com', 'empty-local-part');
      unusable('  @example.com', 'empty-local-part');
      unusable('olga@', 'empty-domain');
      unusable('olga@   ', 'empty-domain');
    });

    it('a domain with an empty label: leading, trailing or double dot', () => {
      unusable('a@.example.com', 'empty-domain-label');
      unusable('a@example.com.', 'empty-domain-label');
      unusable('a@example..com', 'empty-domain-label');
      unusable('a@.', 'empty-domain-label');
    });

    it('U+FEFF is not trimmed and makes the address unusable', () => {
      unusable('\uFEFFolga@example.com', 'forbidden-character');
      unusable('olga@example.com\uFEFF', 'forbidden-character');
    });

    it('U+00A0 is not trimmed and makes the address unusable', () => {
      unusable('\u00A0olga@example.com', 'forbidden-character');
      unusable('olga@example.com\u00A0', 'forbidden-character');
    });

    it('a tab or a newline is not trimmed and makes the address unusable', () => {
      unusable('\tolga@example.com', 'forbidden-character');
      unusable('olga@example.com\n', 'forbidden-character');
      unusable(' olga@example.com\r\n ', 'forbidden-character');
    });

    it('an inner space or other White_Space character', () => {
      unusable('ol ga@example.com', 'forbidden-character');
      unusable('olga@exa mple.com', 'forbidden-character');
      unusable('olga@example.com\u2003', 'forbidden-character');
      unusable('olga\u3000@example.com', 'forbidden-character');
      unusable('olga@example.com\u2028', 'forbidden-character');
    });

    it('control characters (Cc)', () => {
      unusable('ol\u0000ga@example.com', 'forbidden-character');
      unusable('ol\u0001ga@example.com', 'forbidden-character');
      unusable('olga@example.com\u007F', 'forbidden-character');
      unusable('olga\u0085@example.com', 'forbidden-character');
    });

    it('zero-width and other format characters (Cf)', () => {
      unusable('ol\u200Bga@example.com', 'forbidden-character');
      unusable('ol\u200Cga@example.com', 'forbidden-character');
      unusable('ol\u200Dga@example.com', 'forbidden-character');
      unusable('ol\u2060ga@example.com', 'forbidden-character');
      unusable('ol\u00ADga@example.com', 'forbidden-character');
    });

    it('bidi controls (Cf)', () => {
      unusable('olga@\u202Eexample.com', 'forbidden-character');
      unusable('\u200Folga@example.com', 'forbidden-character');
      unusable('olga@example.com\u2066', 'forbidden-character');
    });

    it('a lone surrogate', () => {
      unusable('ol\uD800ga@example.com', 'lone-surrogate');
      unusable('olga@example.com\uDFFF', 'lone-surrogate');
      unusable('\uDE00\uD83Dolga@example.com', 'lone-surrogate');
    });

    it('a surrogate pair (an astral character) is usable', () => {
      assert.equal(usable('\uD83D\uDE00@example.com').address, '\u{1F600}@example.com');
    });
  });

  describe('length, counted in UTF-16 code units after the trim', () => {
    it(`${MAX_ADDRESS_LENGTH} code units are usable, ${MAX_ADDRESS_LENGTH + 1} are not`, () => {
      assert.equal(MAX_ADDRESS_LENGTH, 254);
      assert.equal(usable(addressOfLength(254)).address.length, 254);
      unusable(addressOfLength(255), 'too-long');
    });

    it('surrounding spaces do not count', () => {
      const raw = `   ${addressOfLength(254)}   `;
      assert.equal(raw.length, 260);
      assert.equal(usable(raw).address, addressOfLength(254));
    });

    it('an astral character counts as two code units', () => {
      const domain = '@example.com';
      const base = '\u{1F600}'.repeat(121); // 242 code units
      assert.equal(usable(base + domain).address.length, 254);
      unusable(`${base}a${domain}`, 'too-long');
    });
  });

  describe('describeAddressProblem', () => {
    it('has a sentence fragment for every problem', () => {
      const problems: AddressProblem[] = [
        'not-a-string',
        'at-sign-count',
        'empty-local-part',
        'empty-domain',
        'empty-domain-label',
        'forbidden-character',
        'lone-surrogate',
        'too-long',
      ];
      for (const problem of problems) assert.ok(describeAddressProblem(problem).length > 0, problem);
      assert.match(describeAddressProblem('too-long'), /254/);
    });
  });
});
