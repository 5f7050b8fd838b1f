import { z } from 'zod';
import { addressSchema } from './address.js';
import { type Money, moneyEquals, moneySchema, multiplyMoney, sumMoney } from './money.js';
import { normalizePhone } from './phone.js';

const id = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what} must not be empty` });

export const isoDateSchema = z.iso.date({ error: 'must be a calendar date like "2026-12-10"' });
export const isoDateTimeSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, like "2026-12-04T10:00:00Z"',
});

export const lineKindSchema = z.enum(['product', 'service'], {
  error: 'kind must be "product" or "service"',
});
export type LineKind = z.infer<typeof lineKindSchema>;

export const orderLineSchema = z.object({
  id: id('line id'),
  kind: lineKindSchema,
  sku: id('sku'),
  name: id('name'),
  description: z.string().nullish(),
  quantity: z
    .int({ error: 'quantity must be a whole number' })
    .positive({ error: 'quantity must be at least 1' }),
  unitPrice: moneySchema,
});
export type OrderLine = z.infer<typeof orderLineSchema>;

// Line ids key the pricebook items and invoice items made for each line, so they must be unique.
export const orderLinesSchema = z
  .array(orderLineSchema)
  .min(1, { error: 'at least one line is required' })
  .superRefine((lines, ctx) => {
    const seen = new Set<string>();
    lines.forEach((line, index) => {
      if (seen.has(line.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `line id "${line.id}" appears more than once`,
        });
      }
      seen.add(line.id);
    });
  });

export const orderCustomerSchema = z.object({
  id: id('customer id'),
  firstName: id('firstName'),
  lastName: id('lastName'),
  email: z.email({ error: 'email must be an email address, like "jane@example.com"' }).nullish(),
  // Kept as sent; normalizePhone gives the E.164 form when it is needed.
  phone: z
    .string({ error: 'phone is required' })
    .trim()
    .refine((phone) => normalizePhone(phone) !== null, {
      error: 'phone must be a US phone number with area code, like "(512) 555-0142" or "+15125550142"',
    }),
});
export type OrderCustomer = z.infer<typeof orderCustomerSchema>;

export const serviceAddressSchema = addressSchema;
export type ServiceAddress = z.infer<typeof serviceAddressSchema>;

export const subscriptionIntervalSchema = z.enum(['week', 'month', 'year'], {
  error: 'interval must be "week", "month" or "year"',
});
export type SubscriptionInterval = z.infer<typeof subscriptionIntervalSchema>;

export const intervalCountSchema = z
  .int({ error: 'intervalCount must be a whole number' })
  .positive({ error: 'intervalCount must be at least 1' });

export const subscriptionSchema = z.object({
  id: id('subscription id'),
  interval: subscriptionIntervalSchema,
  intervalCount: intervalCountSchema,
  startsAt: isoDateSchema,
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const paymentSchema = z.object({
  id: id('payment id'),
  amount: moneySchema,
  paidAt: isoDateTimeSchema,
});

const AMOUNT_FIELDS: ReadonlySet<PropertyKey> = new Set(['lines', 'subtotal', 'tax', 'total', 'payment']);

export const orderSchema = z
  .object({
    id: id('order id'),
    number: id('number'),
    placedAt: isoDateTimeSchema,
    currency: z.literal('USD', {
      error: 'currency must be "USD": orders are invoiced in ServiceTitan in US dollars, without conversion',
    }),
    customer: orderCustomerSchema,
    serviceAddress: serviceAddressSchema,
    lines: orderLinesSchema,
    subtotal: moneySchema,
    tax: moneySchema,
    total: moneySchema,
    payment: paymentSchema,
    preferredDate: isoDateSchema.nullish(),
    subscription: subscriptionSchema.nullish(),
  })
  .superRefine(
    (order, ctx) => {
      // These are the amounts the ServiceTitan invoice and payment must reproduce; an order that does not add
      // up cannot be invoiced faithfully, so it is refused at the door rather than half-synced.
      const linesTotal = sumMoney(order.lines.map((line) => multiplyMoney(line.unitPrice, line.quantity)));
      if (!moneyEquals(order.subtotal, linesTotal)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subtotal'],
          message: `subtotal ${order.subtotal} is not the sum of quantity × unitPrice over the lines (${linesTotal})`,
        });
      }
      const expectedTotal = sumMoney([order.subtotal, order.tax]);
      if (!moneyEquals(order.total, expectedTotal)) {
        ctx.addIssue({
          code: 'custom',
          path: ['total'],
          message: `total ${order.total} is not subtotal + tax (${expectedTotal})`,
        });
      }
      if (!moneyEquals(order.payment.amount, order.total)) {
        ctx.addIssue({
          code: 'custom',
          path: ['payment', 'amount'],
          message: `payment amount ${order.payment.amount} is not the order total ${order.total}`,
        });
      }
    },
    // Sums are only meaningful once every amount is valid money; other fields' problems do not matter here.
    { when: (payload) => payload.issues.every((issue) => !AMOUNT_FIELDS.has(issue.path?.[0] ?? '')) },
  );
export type Order = z.infer<typeof orderSchema>;
export type OrderInput = z.input<typeof orderSchema>;

export type OrderKind = LineKind | 'mixed';

// Products first, then services: workflows create one job per kind in this order, so it must be stable.
const KIND_ORDER: readonly LineKind[] = lineKindSchema.options;

export function orderKinds(order: Pick<Order, 'lines'>): LineKind[] {
  return KIND_ORDER.filter((kind) => order.lines.some((line) => line.kind === kind));
}

export function orderKind(order: Pick<Order, 'lines'>): OrderKind {
  const kinds = orderKinds(order);
  const [only] = kinds;
  return kinds.length === 1 && only !== undefined ? only : 'mixed';
}

export function linesOfKind(order: Pick<Order, 'lines'>, kind: LineKind): OrderLine[] {
  return order.lines.filter((line) => line.kind === kind);
}

export function subtotalOfKind(order: Pick<Order, 'lines'>, kind: LineKind): Money {
  return sumMoney(linesOfKind(order, kind).map((line) => multiplyMoney(line.unitPrice, line.quantity)));
}
