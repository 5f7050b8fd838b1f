import Big from 'big.js';

/**
 * Splits an order's tax across its kinds in proportion to each kind's subtotal, to the cent, with
 * the rounding remainder on the last kind, so the invoices of a mixed order add up to the order
 * total exactly.
 */
export function allocateTax<K extends string>(
  tax: string,
  subtotals: ReadonlyArray<{ kind: K; subtotal: string }>,
) {
  const total = subtotals.reduce((sum, entry) => sum.plus(entry.subtotal), new Big(0));
  const shares = new Map<K, string>();
  let allocated = new Big(0);
  subtotals.forEach((entry, index) => {
    const isLast = index === subtotals.length - 1;
    const share = isLast
      ? new Big(tax).minus(allocated)
      : total.eq(0)
        ? new Big(0)
        : new Big(tax).times(entry.subtotal).div(total).round(2, Big.roundHalfUp);
    allocated = allocated.plus(share);
    shares.set(entry.kind, share.toFixed(2));
  });
  return shares;
}
