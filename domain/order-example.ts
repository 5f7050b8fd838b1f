import type { OrderInput } from './order.js';

/** The order of the webhook contract (contracts.md §2), for tests, the sandbox and documentation. */
export const exampleOrder = {
  id: 'ord_1001',
  number: '1001',
  placedAt: '2026-12-04T10:00:00Z',
  currency: 'USD',
  customer: {
    id: 'cus_77',
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane@example.com',
    phone: '(512) 555-0142',
  },
  serviceAddress: {
    street: '1200 Barton Springs Rd',
    unit: 'Apt 4',
    city: 'Austin',
    state: 'TX',
    zip: '78704',
    country: 'US',
  },
  lines: [
    {
      id: 'li_1',
      kind: 'product',
      sku: 'FLT-16x25x1-M11',
      name: 'Pleated filter 16x25x1 MERV 11',
      description: '...',
      quantity: 2,
      unitPrice: '24.99',
    },
  ],
  subtotal: '49.98',
  tax: '4.12',
  total: '54.10',
  payment: { id: 'pay_9', amount: '54.10', paidAt: '2026-12-04T10:00:02Z' },
  preferredDate: '2026-12-10',
  subscription: { id: 'sub_5', interval: 'month', intervalCount: 3, startsAt: '2026-12-04' },
} as const satisfies OrderInput;
