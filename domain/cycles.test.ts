import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, type CyclePlan, cycleDate, firstCycleOnOrAfter, replan } from './cycles.js';

const plan = (anchorDate: string, interval: CyclePlan['interval'], intervalCount: number): CyclePlan => ({
  anchorDate,
  anchorCycle: 0,
  interval,
  intervalCount,
});

describe('cycle dates', () => {
  it('clamps the 31st to the end of shorter months and goes back to the 31st after', () => {
    const monthly = plan('2026-01-31', 'month', 1);
    expect([1, 2, 3, 4].map((n) => cycleDate(monthly, n))).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(cycleDate(plan('2028-01-31', 'month', 1), 1)).toBe('2028-02-29');
  });

  it('moves a quarterly filter subscription three months at a time', () => {
    const quarterly = plan('2026-12-04', 'month', 3);
    expect([1, 2, 3, 4].map((n) => cycleDate(quarterly, n))).toEqual([
      '2027-03-04',
      '2027-06-04',
      '2027-09-04',
      '2027-12-04',
    ]);
  });

  it('handles yearly plans from Feb 29 and weekly plans across the year end', () => {
    expect(cycleDate(plan('2028-02-29', 'year', 1), 1)).toBe('2029-02-28');
    expect(cycleDate(plan('2028-02-29', 'year', 1), 4)).toBe('2032-02-29');
    expect(cycleDate(plan('2026-12-28', 'week', 2), 1)).toBe('2027-01-11');
  });

  it('keeps earlier cycle dates when the interval changes from a later cycle on', () => {
    const quarterly = plan('2026-12-04', 'month', 3);
    const changed = replan(quarterly, 2, { intervalCount: 6 });
    expect(cycleDate(changed, 2)).toBe(cycleDate(quarterly, 2));
    expect(cycleDate(changed, 3)).toBe('2027-12-04');
  });

  it('finds the first cycle that is not in the past', () => {
    expect(firstCycleOnOrAfter(plan('2026-01-15', 'month', 1), '2026-04-16', 1)).toBe(4);
    expect(firstCycleOnOrAfter(plan('2026-01-15', 'month', 1), '2026-01-01', 1)).toBe(1);
  });
});

describe('cycle date properties', () => {
  const anchor = fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2090-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  const interval = fc.constantFrom<CyclePlan['interval']>('week', 'month', 'year');

  it('is strictly increasing from cycle to cycle', () => {
    fc.assert(
      fc.property(
        anchor,
        interval,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 40 }),
        (a, i, count, n) => {
          const p = plan(a, i, count);
          expect(cycleDate(p, n + 1) > cycleDate(p, n)).toBe(true);
        },
      ),
    );
  });

  it('lands on the anchor day of the month, or the month end when the month is shorter', () => {
    fc.assert(
      fc.property(anchor, fc.integer({ min: 0, max: 600 }), (a, months) => {
        const result = addMonths(a, months);
        const anchorDay = Number(a.slice(8, 10));
        const [y, m, d] = result.split('-').map(Number) as [number, number, number];
        const monthEnd = new Date(Date.UTC(y, m, 0)).getUTCDate();
        expect(d).toBe(Math.min(anchorDay, monthEnd));
        expect(y * 12 + m - (Number(a.slice(0, 4)) * 12 + Number(a.slice(5, 7)))).toBe(months);
      }),
    );
  });
});
