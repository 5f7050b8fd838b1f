import { addDays } from './dates.js';

export type CycleInterval = 'week' | 'month' | 'year';

/**
 * When a subscription's cycles fall: cycle `anchorCycle` is on `anchorDate`, and every cycle after
 * it `intervalCount` intervals later. A change of interval moves the anchor to the cycle it starts
 * from, so earlier cycles keep their dates.
 */
export interface CyclePlan {
  anchorDate: string;
  anchorCycle: number;
  interval: CycleInterval;
  intervalCount: number;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * Adds whole months to a calendar date, clamping to the month's last day: Jan 31 + 1 month is
 * Feb 28 (29 in a leap year). Always computed from the anchor, never chained, so the next cycle
 * goes back to the 31st when the month has one.
 */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar date (in the tenant's zone) of cycle `cycle` (the first order is cycle 0). */
export function cycleDate(plan: CyclePlan, cycle: number): string {
  const steps = (cycle - plan.anchorCycle) * plan.intervalCount;
  switch (plan.interval) {
    case 'week':
      return addDays(plan.anchorDate, steps * 7);
    case 'month':
      return addMonths(plan.anchorDate, steps);
    case 'year':
      return addMonths(plan.anchorDate, steps * 12);
  }
}

/** The first cycle whose date is on or after `today`, never before `fromCycle`. */
export function firstCycleOnOrAfter(plan: CyclePlan, today: string, fromCycle: number): number {
  let cycle = Math.max(fromCycle, plan.anchorCycle);
  while (cycleDate(plan, cycle) < today) cycle += 1;
  return cycle;
}

/**
 * A new interval or anchor from the store applies from `fromCycle` on: that cycle keeps the date it
 * had (or takes `nextCycleAt` when the store moved it), and the new interval counts from there.
 */
export function replan(
  plan: CyclePlan,
  fromCycle: number,
  change: { interval?: CycleInterval; intervalCount?: number; nextCycleDate?: string },
): CyclePlan {
  return {
    anchorCycle: fromCycle,
    anchorDate: change.nextCycleDate ?? cycleDate(plan, fromCycle),
    interval: change.interval ?? plan.interval,
    intervalCount: change.intervalCount ?? plan.intervalCount,
  };
}
