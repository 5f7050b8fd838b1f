import Big from 'big.js';
import { z } from 'zod';

const MONEY_PATTERN = /^\d+(\.\d{1,2})?$/;
// Arithmetic results (a refund, a difference) may be negative even though amounts on the wire never are.
const SIGNED_MONEY_PATTERN = /^-?\d+(\.\d{1,2})?$/;

export const moneySchema = z
  .string({
    // A JSON number cannot carry "54.10" exactly; a missing amount keeps zod's "required" wording.
    error: (issue) =>
      issue.input === undefined ? undefined : 'must be a decimal string like "54.10", not a JSON number',
  })
  .trim()
  .regex(MONEY_PATTERN, {
    error: 'must be a non-negative decimal string with at most two decimals, like "54.10"',
  });

export type Money = z.infer<typeof moneySchema>;

function toBig(value: string): Big {
  if (!SIGNED_MONEY_PATTERN.test(value)) {
    throw new Error(`"${value}" is not a money amount; expected a decimal string like "54.10"`);
  }
  return new Big(value);
}

// One canonical rendering (two decimals) so amounts can be compared as strings and logged consistently.
function render(value: Big): Money {
  return value.toFixed(2, Big.roundHalfUp);
}

export function addMoney(...values: readonly Money[]): Money {
  return sumMoney(values);
}

export function sumMoney(values: readonly Money[]): Money {
  return render(values.reduce((total, value) => total.plus(toBig(value)), new Big(0)));
}

export function subtractMoney(a: Money, b: Money): Money {
  return render(toBig(a).minus(toBig(b)));
}

export function multiplyMoney(unitPrice: Money, quantity: number): Money {
  if (!Number.isFinite(quantity)) {
    throw new Error(`quantity ${quantity} must be a finite number`);
  }
  return render(toBig(unitPrice).times(quantity));
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  return toBig(a).cmp(toBig(b));
}

export function moneyEquals(a: Money, b: Money): boolean {
  return compareMoney(a, b) === 0;
}

export function formatMoney(value: Money): Money {
  return render(toBig(value));
}

// For APIs (ServiceTitan) that take JSON numbers; two-decimal amounts round-trip exactly through a double.
export function moneyToNumber(value: Money): number {
  return Number(formatMoney(value));
}
