import { addMoney, multiplyMoney, sumMoney } from './money.js';
import type { LineKind, OrderInput } from './order.js';

/**
 * Realistic orders for tests, `npm run send-order` and the benchmark. Totals are computed exactly
 * from the lines, so every sample passes the order schema's cross-field checks.
 */
export interface SampleOrderOptions {
  id: string;
  kind?: LineKind | 'mixed';
  customer?: Partial<OrderInput['customer']>;
  serviceAddress?: Partial<OrderInput['serviceAddress']>;
  lines?: OrderInput['lines'];
  /** Tax rate applied to the subtotal, e.g. "0.0825". */
  taxRate?: string;
  subscription?: OrderInput['subscription'];
  preferredDate?: string | null;
  placedAt?: string;
}

const productLine = {
  kind: 'product' as const,
  sku: 'FLT-16x25x1-M11',
  name: 'Pleated filter 16x25x1 MERV 11',
  description: 'MERV 11 pleated air filter, 16x25x1',
  quantity: 2,
  unitPrice: '24.99',
};
const serviceLine = {
  kind: 'service' as const,
  sku: 'SVC-AC-TUNEUP',
  name: 'AC tune-up',
  description: 'Seasonal air-conditioner tune-up',
  quantity: 1,
  unitPrice: '129.00',
};

export function sampleOrder(options: SampleOrderOptions): OrderInput {
  const kind = options.kind ?? 'product';
  const lines =
    options.lines ??
    (kind === 'product'
      ? [{ id: 'li_1', ...productLine }]
      : kind === 'service'
        ? [{ id: 'li_1', ...serviceLine }]
        : [
            { id: 'li_1', ...productLine },
            { id: 'li_2', ...serviceLine },
          ]);
  const subtotal = sumMoney(lines.map((line) => multiplyMoney(line.unitPrice, line.quantity)));
  const tax = taxOf(subtotal, options.taxRate ?? '0.0825');
  const total = addMoney(subtotal, tax);
  const placedAt = options.placedAt ?? '2026-12-04T16:00:00Z';
  return {
    id: options.id,
    number: options.id.replace(/^\D+/, '') || options.id,
    placedAt,
    currency: 'USD',
    customer: {
      id: `cus_${options.id}`,
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane@example.com',
      phone: '(512) 555-0142',
      ...options.customer,
    },
    serviceAddress: {
      street: '1200 Barton Springs Rd',
      unit: 'Apt 4',
      city: 'Austin',
      state: 'TX',
      zip: '78704',
      country: 'US',
      ...options.serviceAddress,
    },
    lines,
    subtotal,
    tax,
    total,
    payment: { id: `pay_${options.id}`, amount: total, paidAt: placedAt },
    preferredDate: options.preferredDate === undefined ? '2026-12-10' : options.preferredDate,
    subscription: options.subscription ?? null,
  };
}

function taxOf(subtotal: string, rate: string): string {
  // multiplyMoney rounds half-up to the cent, which is how the store computes sales tax.
  return multiplyMoney(subtotal, Number(rate));
}
