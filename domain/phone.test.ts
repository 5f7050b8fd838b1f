import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nationalDigits, normalizePhone, phonesMatch } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    '(512) 555-0142',
    '512.555.0142',
    '512-555-0142',
    '512 555 0142',
    '+1 512 555 0142',
    '+1 (512) 555-0142',
    '1-512-555-0142',
    '1 (512) 555-0142',
    '5125550142',
    '15125550142',
    '+15125550142',
    '  (512)555-0142  ',
  ])('reads %j as +15125550142', (input) => {
    expect(normalizePhone(input)).toBe('+15125550142');
  });

  it.each(['512-555-0142 ext. 12', '512-555-0142 x12', '(512) 555-0142 extension 5', '512 555 0142 #7'])(
    'drops the extension in %j',
    (input) => {
      expect(normalizePhone(input)).toBe('+15125550142');
    },
  );

  it('accepts the fictional 555-01xx numbers used in examples and tests', () => {
    expect(normalizePhone('(201) 555-0199')).toBe('+12015550199');
  });

  it.each([
    ['too short', '555-0142'],
    ['too long', '512-555-01423'],
    ['not digits', 'n/a'],
    ['empty', ''],
    ['an exchange starting with 1', '(512) 155-0142'],
    ['an area code starting with 0', '(012) 555-0142'],
    ['an N11 service code as area code', '(911) 555-0142'],
    ['prose around a number', 'call me at 512 555 0142'],
    ['a non-North-American number', '+44 20 7946 0958'],
  ])('refuses %s', (_, input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe('nationalDigits', () => {
  it('gives the 10 digits ServiceTitan searches on', () => {
    expect(nationalDigits('+1 (512) 555-0142 x3')).toBe('5125550142');
  });

  it('gives null for something that is not a phone', () => {
    expect(nationalDigits('12345')).toBeNull();
  });
});

describe('phonesMatch', () => {
  it('matches the same number written two ways', () => {
    expect(phonesMatch('(512) 555-0142', '+15125550142')).toBe(true);
  });

  it('does not match different numbers', () => {
    expect(phonesMatch('(512) 555-0142', '(512) 555-0143')).toBe(false);
  });

  it('never matches an unparseable phone, even with itself', () => {
    expect(phonesMatch('n/a', 'n/a')).toBe(false);
  });
});

// NXX-NXX-XXXX with N = 2..9 and no N11 area code: the shape of every dialable US number.
const digit = fc.integer({ min: 0, max: 9 }).map(String);
const leading = fc.integer({ min: 2, max: 9 }).map(String);
const areaCode = fc
  .tuple(leading, digit, digit)
  .map((d) => d.join(''))
  .filter((code) => !code.endsWith('11'));
const exchange = fc.tuple(leading, digit, digit).map((d) => d.join(''));
const line = fc.tuple(digit, digit, digit, digit).map((d) => d.join(''));
const usNumber = fc.tuple(areaCode, exchange, line);

const formats: ReadonlyArray<(a: string, e: string, l: string) => string> = [
  (a, e, l) => `(${a}) ${e}-${l}`,
  (a, e, l) => `${a}.${e}.${l}`,
  (a, e, l) => `${a}-${e}-${l}`,
  (a, e, l) => `${a}${e}${l}`,
  (a, e, l) => `+1 ${a} ${e} ${l}`,
  (a, e, l) => `+1${a}${e}${l}`,
  (a, e, l) => `1-${a}-${e}-${l}`,
  (a, e, l) => `1 (${a}) ${e}-${l}`,
  (a, e, l) => ` ${a} ${e} ${l} `,
  (a, e, l) => `(${a})${e}-${l} ext. 42`,
  (a, e, l) => `${a}-${e}-${l} x9`,
];

describe('phone properties', () => {
  it('every formatting of the same 10 digits normalises to the same E.164 value', () => {
    fc.assert(
      fc.property(usNumber, ([a, e, l]) => {
        const expected = `+1${a}${e}${l}`;
        for (const format of formats) expect(normalizePhone(format(a, e, l))).toBe(expected);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(usNumber, fc.constantFrom(...formats), ([a, e, l], format) => {
        const once = normalizePhone(format(a, e, l));
        expect(once).not.toBeNull();
        expect(normalizePhone(once ?? '')).toBe(once);
      }),
    );
  });

  it('two formattings match exactly when their digits are the same', () => {
    fc.assert(
      fc.property(
        usNumber,
        usNumber,
        fc.constantFrom(...formats),
        fc.constantFrom(...formats),
        (x, y, f, g) => {
          expect(phonesMatch(f(...x), g(...y))).toBe(x.join('') === y.join(''));
        },
      ),
    );
  });
});
