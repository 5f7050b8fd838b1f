/**
 * The fewest ServiceTitan API calls the product needs per order shape while keeping exactly-once,
 * derived from what the activities must know or write (activities/*.ts). Token calls are not
 * counted: one token serves every call of a tenant for 15 minutes, so they amortise to ~0 per order
 * (the measured figures count them separately). Settings-derived lookups (arrival windows, cancel
 * reasons) are cacheable per tenant and count 0. Assumed steady state: the order's SKUs already
 * exist in the pricebook at the store's price (the first order of a SKU adds 2 calls, once).
 *
 * Per order, by step (a returning customer's one-line product order):
 *   customer  GET customers?phone              match; our externalData marker (a create whose answer
 *                                              was lost) can be read from the same answer
 *   location  GET locations?customerId         address match; marker readable from the same answer
 *   pricebook GET equipment?externalData       the store SKU's item
 *   job       GET jobs?externalData            exactly-once guard: POST /jobs has no idempotency key
 *             POST jobs                        (ST creates the invoice with the job)
 *   invoice   GET invoices?ids                 which lines a previous attempt already added
 *             PATCH invoices/{id}/items        one per line (appends are not idempotent, hence the read)
 *             PATCH invoices/{id}              the tax share (skipped when already right)
 *             GET invoices?ids                 the total check (the $0-invoice trap); PATCHes answer no body
 *   payment   GET payments?invoiceIds          exactly-once guard (payments have no external key)
 *             POST payments
 *   tags      GET customers/{id}, GET locations/{id}   tags already there are left alone (+1 POST per
 *                                              missing tag: a new customer gets 2 per kind)
 * = 13 for a returning customer whose customer and location already carry the tag.
 *
 * A new customer: phone search (no match) + name search + POST customers (creates the location
 * too, so ensureLocation needs no call), and 2 tag POSTs. Each extra kind (a mixed order) repeats
 * pricebook, job, invoice and the tag POSTs; each extra line adds one item PATCH (and one SKU lookup).
 */
export type OrderShape =
  | 'returning-product'
  | 'returning-service'
  | 'new-product'
  | 'new-service'
  | 'new-mixed';

const perKind = { pricebook: 1, job: 2, invoice: 4 } as const;
const kindCalls = perKind.pricebook + perKind.job + perKind.invoice;
const payment = 2;

export const minimumCalls: Record<OrderShape, number> = {
  // customer 1 + location 1 + kind 7 + payment 2 + tag reads 2
  'returning-product': 1 + 1 + kindCalls + payment + 2,
  'returning-service': 1 + 1 + kindCalls + payment + 2,
  // customer 3 (phone, name, create) + location 0 + kind 7 + payment 2 + tag reads 2 + tag adds 2
  'new-product': 3 + kindCalls + payment + 2 + 2,
  'new-service': 3 + kindCalls + payment + 2 + 2,
  // two kinds: 2 × kind + tag reads 2 + tag adds 2 × 2
  'new-mixed': 3 + 2 * kindCalls + payment + 2 + 4,
};

/** The product's minimum for a mix of shapes, per order. */
export function minimumCallsPerOrder(shapes: readonly OrderShape[]): number {
  if (shapes.length === 0) return 0;
  return shapes.reduce((sum, shape) => sum + minimumCalls[shape], 0) / shapes.length;
}
