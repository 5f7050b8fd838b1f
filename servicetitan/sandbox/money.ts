// Money is kept in integer cents so invoice arithmetic is exact; ST's accounting API answers money
// as decimal strings ("54.10") and takes numbers in requests.

/** Cents from a request number; rounds half away from zero after removing float noise (24.99 → 2499). */
export function toCents(amount: number): number {
  const scaled = Number((amount * 100).toFixed(6));
  return Math.sign(scaled) * Math.round(Math.abs(scaled));
}

/** Line total in cents for a (possibly fractional) quantity. */
export function lineTotalCents(quantity: number, priceCents: number): number {
  const raw = Number((quantity * priceCents).toFixed(6));
  return Math.sign(raw) * Math.round(Math.abs(raw));
}

/** "1234.50" from 123450. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function centsToNumber(cents: number): number {
  return cents / 100;
}

/** Quantities as ST's decimal strings: two decimals unless more precision was given. */
export function formatQuantity(quantity: number): string {
  const fixed = quantity.toFixed(2);
  return Number(fixed) === quantity ? fixed : String(quantity);
}
