import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerDisplayName, namesMatch, normalizePersonName } from './names.js';

describe('normalizePersonName', () => {
  it('lowercases, strips accents, punctuation and titles, and tidies spaces', () => {
    expect(normalizePersonName(' Mrs. Zoë ', "O'Brien ")).toBe('zoe obrien');
  });

  it('splits hyphenated names into words', () => {
    expect(normalizePersonName('Mary-Ann', 'Smith-Jones')).toBe('mary ann smith jones');
  });
});

describe('customerDisplayName', () => {
  it('joins first and last name with one space, keeping their casing', () => {
    expect(customerDisplayName(' Jane ', ' van  Doe ')).toBe('Jane van Doe');
  });

  it('copes with a missing part', () => {
    expect(customerDisplayName('', 'Doe')).toBe('Doe');
    expect(customerDisplayName('Jane', '  ')).toBe('Jane');
  });
});

describe('namesMatch', () => {
  it.each([
    'Jane Doe',
    'jane doe',
    'JANE DOE',
    'Jane  Doe ',
    'DOE, JANE',
    'Doe,Jane',
    'Jane M. Doe',
    'Jane Marie Doe',
    'Ms. Jane Doe',
    'Doe Jane',
    'Jane & John Doe',
    'John and Jane Doe',
  ])('matches %j to Jane Doe', (candidate) => {
    expect(namesMatch(candidate, 'Jane', 'Doe')).toBe(true);
  });

  it.each(['John Doe', 'Jane Smith', 'Janet Doe', 'Jane Doer', 'Doe', 'Jane', '', 'Jane Doe Smith'])(
    'does not match %j to Jane Doe',
    (candidate) => {
      expect(namesMatch(candidate, 'Jane', 'Doe')).toBe(false);
    },
  );

  it('matches accents and apostrophes written or not', () => {
    expect(namesMatch('Zoe OBrien', 'Zoë', "O'Brien")).toBe(true);
  });

  it('matches multi-word surnames written with or without spaces', () => {
    expect(namesMatch('Maria Delacruz', 'Maria', 'De la Cruz')).toBe(true);
    expect(namesMatch('DE LA CRUZ, MARIA', 'Maria', 'Delacruz')).toBe(true);
  });

  it('matches when the order gives a middle name the record lacks', () => {
    expect(namesMatch('Mary Smith', 'Mary Ann', 'Smith')).toBe(true);
  });

  it('keeps generational suffixes apart', () => {
    expect(namesMatch('John Doe Jr', 'John', 'Doe')).toBe(false);
  });

  it('matches nothing when the order has no name', () => {
    expect(namesMatch('Jane Doe', '', 'Doe')).toBe(false);
    expect(namesMatch('Jane Doe', 'Jane', ' ')).toBe(false);
  });
});

const namePart = fc.stringMatching(/^[A-Z][a-z]{1,9}$/);
const noise = fc.constantFrom(
  (f: string, l: string) => `${f} ${l}`,
  (f: string, l: string) => `${l.toUpperCase()}, ${f.toUpperCase()}`,
  (f: string, l: string) => `  ${f.toLowerCase()}   ${l} `,
  (f: string, l: string) => `${f} Q. ${l}`,
  (f: string, l: string) => `Mr. ${f} ${l}`,
  (f: string, l: string) => `${l},${f}`,
);

describe('name properties', () => {
  it('a customer name written any common way matches its own parts', () => {
    fc.assert(
      fc.property(namePart, namePart, noise, (first, last, write) => {
        expect(namesMatch(write(first, last), first, last)).toBe(true);
      }),
    );
  });

  it('a different surname never matches', () => {
    fc.assert(
      fc.property(namePart, namePart, namePart, noise, (first, last, other, write) => {
        fc.pre(other.toLowerCase() !== last.toLowerCase() && other.toLowerCase() !== first.toLowerCase());
        expect(namesMatch(write(first, other), first, last)).toBe(false);
      }),
    );
  });

  it('normalising is insensitive to case and surrounding space', () => {
    fc.assert(
      fc.property(namePart, namePart, (first, last) => {
        expect(normalizePersonName(` ${first.toUpperCase()} `, last.toLowerCase())).toBe(
          normalizePersonName(first, last),
        );
      }),
    );
  });
});
