import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  compareMoney,
  formatMoney,
  moneyEquals,
  moneySchema,
  moneyToNumber,
  multiplyMoney,
  subtractMoney,
  sumMoney,
} from './money.js';

const cents = fc.integer({ min: 0, max: 10_000_000_00 });
const centsToMoney = (c: number): string => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const moneyToCents = (m: string): number => Math.round(Number(m) * 100);
// Renders the same amount in every way the wire allows: "5", "5.0", "5.00".
const looseMoney = cents.chain((c) =>
  fc.constantFrom(
    centsToMoney(c),
    c % 10 === 0 ? centsToMoney(c).slice(0, -1) : centsToMoney(c),
    c % 100 === 0 ? String(c / 100) : centsToMoney(c),
  ),
);

describe('moneySchema', () => {
  it.each(['0', '0.5', '54.10', '54.1', '1000000', ' 12.30 '])('accepts %j', (value) => {
    expect(moneySchema.safeParse(value).success).toBe(true);
  });

  it.each(['-1.00', '1.234', '1.', '.5', 'abc', '', '1e3', '1,000.00', 'NaN'])('rejects %j', (value) => {
    expect(moneySchema.safeParse(value).success).toBe(false);
  });

  it('explains the expected format', () => {
    const result = moneySchema.safeParse('12.345');
    expect(result.error?.issues[0]?.message).toMatch(/at most two decimals/);
  });

  it('rejects a number, since JSON numbers lose cents, saying so', () => {
    expect(moneySchema.safeParse(54.1).error?.issues[0]?.message).toMatch(/decimal string/);
  });

  it('reports a missing amount as missing', () => {
    expect(moneySchema.safeParse(undefined).error?.issues[0]?.message).toMatch(/received undefined/);
  });
});

describe('arithmetic', () => {
  it('adds without floating-point error', () => {
    expect(addMoney('0.1', '0.2')).toBe('0.30');
    expect(addMoney('49.98', '4.12')).toBe('54.10');
  });

  it('adds nothing to zero', () => {
    expect(addMoney()).toBe('0.00');
    expect(sumMoney([])).toBe('0.00');
  });

  it('subtracts, and may go below zero', () => {
    expect(subtractMoney('54.10', '4.12')).toBe('49.98');
    expect(subtractMoney('1', '6.5')).toBe('-5.50');
  });

  it('multiplies a unit price by a quantity', () => {
    expect(multiplyMoney('24.99', 2)).toBe('49.98');
    expect(multiplyMoney('0.10', 3)).toBe('0.30');
  });

  it('rounds a fractional quantity half-up to the cent', () => {
    expect(multiplyMoney('0.05', 0.5)).toBe('0.03');
    expect(multiplyMoney('0.01', 0.4)).toBe('0.00');
  });

  it('compares by value', () => {
    expect(compareMoney('9.99', '10')).toBe(-1);
    expect(compareMoney('10', '10.00')).toBe(0);
    expect(compareMoney('10.01', '10')).toBe(1);
  });

  it('treats trailing zeros as equal', () => {
    expect(moneyEquals('54.1', '54.10')).toBe(true);
    expect(moneyEquals('54', '54.00')).toBe(true);
    expect(moneyEquals('54.01', '54.1')).toBe(false);
  });

  it('formats with exactly two decimals', () => {
    expect(formatMoney('5')).toBe('5.00');
    expect(formatMoney('5.1')).toBe('5.10');
    expect(formatMoney('0005.10')).toBe('5.10');
  });

  it('converts to a JSON number', () => {
    expect(moneyToNumber('54.10')).toBe(54.1);
    expect(moneyToNumber('0.30')).toBe(0.3);
  });

  it('refuses a value that is not money instead of guessing', () => {
    expect(() => addMoney('12.345')).toThrow(/not a money amount/);
    expect(() => formatMoney('abc')).toThrow(/not a money amount/);
    expect(() => multiplyMoney('1.00', Number.NaN)).toThrow(/finite/);
  });
});

describe('arithmetic properties', () => {
  it('sums exactly: the result equals the sum of the cents as integers', () => {
    fc.assert(
      fc.property(fc.array(cents, { maxLength: 30 }), (list) => {
        const total = sumMoney(list.map(centsToMoney));
        expect(total).toBe(centsToMoney(list.reduce((a, b) => a + b, 0)));
      }),
    );
  });

  it('adds commutatively', () => {
    fc.assert(
      fc.property(looseMoney, looseMoney, (a, b) => {
        expect(addMoney(a, b)).toBe(addMoney(b, a));
      }),
    );
  });

  it('adds associatively', () => {
    fc.assert(
      fc.property(looseMoney, looseMoney, looseMoney, (a, b, c) => {
        expect(addMoney(addMoney(a, b), c)).toBe(addMoney(a, addMoney(b, c)));
      }),
    );
  });

  it('is order-independent when summing a list', () => {
    fc.assert(
      fc.property(fc.array(looseMoney, { maxLength: 20 }), (list) => {
        expect(sumMoney([...list].reverse())).toBe(sumMoney(list));
      }),
    );
  });

  it('undoes an addition with a subtraction', () => {
    fc.assert(
      fc.property(looseMoney, looseMoney, (a, b) => {
        expect(moneyEquals(subtractMoney(addMoney(a, b), b), a)).toBe(true);
      }),
    );
  });

  it('multiplies like repeated addition', () => {
    fc.assert(
      fc.property(looseMoney, fc.integer({ min: 0, max: 50 }), (price, quantity) => {
        expect(multiplyMoney(price, quantity)).toBe(sumMoney(Array.from({ length: quantity }, () => price)));
      }),
    );
  });

  it('ignores trailing zeros in equality and formatting', () => {
    fc.assert(
      fc.property(cents, (c) => {
        const canonical = centsToMoney(c);
        const padded = c % 10 === 0 ? canonical.slice(0, -1) : canonical;
        expect(moneyEquals(canonical, padded)).toBe(true);
        expect(formatMoney(padded)).toBe(canonical);
      }),
    );
  });

  it('every formatted amount passes the schema and round-trips through a number', () => {
    fc.assert(
      fc.property(looseMoney, (m) => {
        expect(moneySchema.safeParse(formatMoney(m)).success).toBe(true);
        expect(moneyToCents(formatMoney(m))).toBe(moneyToCents(m));
        expect(centsToMoney(Math.round(moneyToNumber(m) * 100))).toBe(formatMoney(m));
      }),
    );
  });
});
