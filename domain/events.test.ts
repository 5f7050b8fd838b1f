import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatZodIssues, webhookEventSchema } from './events.js';
import { exampleOrder } from './order-example.js';

const envelope = { tenantId: 'demo', createdAt: '2026-12-04T10:00:00Z' };
const problemsOf = (input: unknown) => {
  const result = webhookEventSchema.safeParse(input);
  return result.success ? [] : formatZodIssues(result.error);
};

describe('webhookEventSchema', () => {
  it('reads order.paid with the order as data', () => {
    const event = webhookEventSchema.parse({ ...envelope, type: 'order.paid', data: exampleOrder });
    expect(event.type === 'order.paid' && event.data.total).toBe('54.10');
  });

  it('reads subscription.renewed', () => {
    const data = {
      subscriptionId: 'sub_5',
      orderId: 'ord_1001',
      cycle: 2,
      chargedAt: '2027-03-04T10:00:00Z',
      payment: { id: 'pay_10', amount: '54.10' },
    };
    expect(webhookEventSchema.parse({ ...envelope, type: 'subscription.renewed', data })).toMatchObject({
      data,
    });
  });

  it('reads subscription.updated with only the fields that change', () => {
    const data = { subscriptionId: 'sub_5', intervalCount: 6, nextCycleAt: '2027-06-04' };
    expect(problemsOf({ ...envelope, type: 'subscription.updated', data })).toEqual([]);
  });

  it('reads a subscription.updated that replaces lines and address', () => {
    const data = {
      subscriptionId: 'sub_5',
      lines: exampleOrder.lines,
      serviceAddress: exampleOrder.serviceAddress,
      nextCycleAt: '2027-06-04T10:00:00Z',
    };
    expect(problemsOf({ ...envelope, type: 'subscription.updated', data })).toEqual([]);
  });

  it('refuses a subscription.updated that changes nothing', () => {
    expect(
      problemsOf({ ...envelope, type: 'subscription.updated', data: { subscriptionId: 'sub_5' } }),
    ).toEqual([{ field: 'data', message: expect.stringMatching(/at least one of interval/) }]);
  });

  it('reads subscription.canceled with or without a reason', () => {
    const data = { subscriptionId: 'sub_5', canceledAt: '2027-01-01T00:00:00Z' };
    expect(problemsOf({ ...envelope, type: 'subscription.canceled', data })).toEqual([]);
    expect(
      problemsOf({ ...envelope, type: 'subscription.canceled', data: { ...data, reason: 'moved' } }),
    ).toEqual([]);
  });

  it('refuses an unknown type, listing the known ones', () => {
    expect(problemsOf({ ...envelope, type: 'order.refunded', data: {} })).toEqual([
      { field: 'type', message: expect.stringContaining('"subscription.canceled"') },
    ]);
  });

  it('refuses a renewal with a cycle of 0 or an amount that is not money', () => {
    const data = {
      subscriptionId: 'sub_5',
      orderId: 'ord_1001',
      cycle: 0,
      chargedAt: '2027-03-04T10:00:00Z',
      payment: { id: 'pay_10', amount: 54.1 },
    };
    expect(problemsOf({ ...envelope, type: 'subscription.renewed', data }).map((p) => p.field)).toEqual([
      'data.cycle',
      'data.payment.amount',
    ]);
  });
});

describe('formatZodIssues', () => {
  it('names nested fields with dots and array indexes', () => {
    const data = structuredClone({
      ...exampleOrder,
      customer: { ...exampleOrder.customer, phone: '12' },
    }) as unknown as {
      lines: Array<Record<string, unknown>>;
    };
    data.lines = [{ ...exampleOrder.lines[0], unitPrice: '24.999' }];
    expect(problemsOf({ ...envelope, type: 'order.paid', data })).toEqual([
      { field: 'data.customer.phone', message: expect.stringContaining('US phone number') },
      { field: 'data.lines[0].unitPrice', message: expect.stringContaining('at most two decimals') },
    ]);
  });

  it('says a missing field is required', () => {
    const { tenantId: _, ...withoutTenant } = { ...envelope, type: 'order.paid', data: exampleOrder };
    expect(problemsOf(withoutTenant)).toEqual([{ field: 'tenantId', message: 'is required' }]);
  });

  it('names the body itself when it is not an object', () => {
    expect(formatZodIssues(z.object({}).safeParse('text').error as z.ZodError)).toEqual([
      { field: '(root)', message: expect.any(String) },
    ]);
  });

  it('quotes keys that are not identifiers', () => {
    const error = z.object({ 'odd key': z.array(z.string()) }).safeParse({ 'odd key': [1] })
      .error as z.ZodError;
    expect(formatZodIssues(error).map((p) => p.field)).toEqual(['["odd key"][0]']);
  });

  it('turns any path into a field name that spells the path', () => {
    const segment = fc.oneof(fc.nat(20), fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.string(), (path, message) => {
        const [problem] = formatZodIssues(
          new z.ZodError([{ code: 'custom', path, message, input: undefined }]),
        );
        const expected = path
          .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`))
          .join('');
        expect(problem).toEqual({ field: expected, message });
      }),
    );
  });
});
