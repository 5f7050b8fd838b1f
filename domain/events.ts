import { z } from 'zod';
import { addressSchema } from './address.js';
import { moneySchema } from './money.js';
import {
  intervalCountSchema,
  isoDateSchema,
  isoDateTimeSchema,
  orderLinesSchema,
  orderSchema,
  subscriptionIntervalSchema,
} from './order.js';

const id = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what} must not be empty` });

const envelope = {
  tenantId: id('tenantId'),
  createdAt: isoDateTimeSchema,
};

export const orderPaidEventSchema = z.object({
  ...envelope,
  type: z.literal('order.paid'),
  data: orderSchema,
});

export const subscriptionRenewedSchema = z.object({
  subscriptionId: id('subscriptionId'),
  orderId: id('orderId'),
  cycle: z.int({ error: 'cycle must be a whole number' }).positive({ error: 'cycle must be 1 or more' }),
  chargedAt: isoDateTimeSchema,
  payment: z.object({ id: id('payment id'), amount: moneySchema }),
});

const UPDATABLE = ['interval', 'intervalCount', 'lines', 'serviceAddress', 'nextCycleAt'] as const;

export const subscriptionUpdatedSchema = z
  .object({
    subscriptionId: id('subscriptionId'),
    interval: subscriptionIntervalSchema.optional(),
    intervalCount: intervalCountSchema.optional(),
    lines: orderLinesSchema.optional(),
    serviceAddress: addressSchema.optional(),
    // A cycle falls on a day; a date-time is accepted too, since stores often send instants for everything.
    nextCycleAt: z
      .union([isoDateSchema, isoDateTimeSchema], {
        error: 'nextCycleAt must be a date like "2027-03-04" or a date-time like "2027-03-04T10:00:00Z"',
      })
      .optional(),
  })
  .superRefine((update, ctx) => {
    if (UPDATABLE.some((field) => update[field] !== undefined)) return;
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `an update must change at least one of ${UPDATABLE.join(', ')}`,
    });
  });

export const subscriptionCanceledSchema = z.object({
  subscriptionId: id('subscriptionId'),
  canceledAt: isoDateTimeSchema,
  reason: z.string().nullish(),
});

export const webhookEventSchema = z.discriminatedUnion(
  'type',
  [
    orderPaidEventSchema,
    z.object({ ...envelope, type: z.literal('subscription.renewed'), data: subscriptionRenewedSchema }),
    z.object({ ...envelope, type: z.literal('subscription.updated'), data: subscriptionUpdatedSchema }),
    z.object({ ...envelope, type: z.literal('subscription.canceled'), data: subscriptionCanceledSchema }),
  ],
  {
    error:
      'type must be one of "order.paid", "subscription.renewed", "subscription.updated", "subscription.canceled"',
  },
);

export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookEventType = WebhookEvent['type'];
export type OrderPaidEvent = z.infer<typeof orderPaidEventSchema>;
export type SubscriptionRenewed = z.infer<typeof subscriptionRenewedSchema>;
export type SubscriptionUpdated = z.infer<typeof subscriptionUpdatedSchema>;
export type SubscriptionCanceled = z.infer<typeof subscriptionCanceledSchema>;

export interface FieldProblem {
  /** Dotted path with array indexes, e.g. `data.lines[0].unitPrice`; `(root)` for the body itself. */
  field: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = typeof segment === 'symbol' ? (segment.description ?? '') : segment;
      out += IDENTIFIER.test(key) ? `${out === '' ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}

/** Each issue of a failed parse as `{ field, message }`, the shape of a problem+json `errors` entry. */
export function formatZodIssues(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: fieldPath(issue.path),
    // zod's own wording for a missing field ("expected string, received undefined") reads as jargon.
    message:
      issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
        ? 'is required'
        : issue.message,
  }));
}
