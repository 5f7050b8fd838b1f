import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateTax } from './tax-allocation.js';

const cents = fc.integer({ min: 0, max: 10_000_000 }).map((n) => new Big(n).div(100).toFixed(2));

describe('allocateTax', () => {
  it('gives a single-kind order all of the tax', () => {
    expect(allocateTax('4.12', [{ kind: 'product', subtotal: '49.98' }]).get('product')).toBe('4.12');
  });

  it('splits tax in proportion to the subtotals', () => {
    const shares = allocateTax('10.00', [
      { kind: 'product', subtotal: '75.00' },
      { kind: 'service', subtotal: '25.00' },
    ]);
    expect(shares.get('product')).toBe('7.50');
    expect(shares.get('service')).toBe('2.50');
  });

  it('always adds up to the order tax exactly', () => {
    fc.assert(
      fc.property(cents, cents, cents, (tax, a, b) => {
        const shares = allocateTax(tax, [
          { kind: 'product', subtotal: a },
          { kind: 'service', subtotal: b },
        ]);
        const sum = new Big(shares.get('product') ?? 'NaN').plus(shares.get('service') ?? 'NaN');
        expect(sum.eq(tax)).toBe(true);
      }),
    );
  });
});
