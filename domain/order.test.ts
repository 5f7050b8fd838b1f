import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMoney, multiplyMoney, sumMoney } from './money.js';
import {
  linesOfKind,
  type OrderInput,
  type OrderLine,
  orderKind,
  orderKinds,
  orderSchema,
  subtotalOfKind,
} from './order.js';
import { exampleOrder } from './order-example.js';

const order = (changes: Partial<OrderInput> = {}): OrderInput =>
  structuredClone({ ...exampleOrder, ...changes });
const issuesOf = (input: unknown) =>
  orderSchema
    .safeParse(input)
    .error?.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) ?? [];

const serviceLine = {
  id: 'li_2',
  kind: 'service',
  sku: 'SVC-TUNEUP',
  name: 'AC tune-up',
  quantity: 1,
  unitPrice: '89.00',
} as const;

describe('orderSchema', () => {
  it('accepts the contract example', () => {
    expect(issuesOf(exampleOrder)).toEqual([]);
  });

  it('accepts absent or null unit, email, description, preferredDate and subscription', () => {
    const input = order({ preferredDate: null, subscription: undefined });
    input.customer = { ...input.customer, email: null };
    input.serviceAddress = { ...input.serviceAddress, unit: undefined };
    input.lines = [{ ...exampleOrder.lines[0], description: null }];
    expect(issuesOf(input)).toEqual([]);
  });

  it('accepts a phone in any common US format and keeps it as sent', () => {
    const input = order();
    input.customer = { ...input.customer, phone: '+1 512.555.0142 ext 9' };
    expect(orderSchema.parse(input).customer.phone).toBe('+1 512.555.0142 ext 9');
  });

  it('rejects a phone that is not a US number, saying what it expects', () => {
    const input = order();
    input.customer = { ...input.customer, phone: '555-0142' };
    expect(issuesOf(input)).toEqual([
      { path: 'customer.phone', message: expect.stringMatching(/\(512\) 555-0142/) },
    ]);
  });

  it('rejects a malformed email', () => {
    const input = order();
    input.customer = { ...input.customer, email: 'jane@' };
    expect(issuesOf(input).map((issue) => issue.path)).toEqual(['customer.email']);
  });

  it('rejects another currency, explaining why', () => {
    expect(issuesOf(order({ currency: 'EUR' as 'USD' }))).toEqual([
      { path: 'currency', message: expect.stringMatching(/USD.*ServiceTitan/) },
    ]);
  });

  it('rejects an order without lines', () => {
    expect(issuesOf(order({ lines: [] })).map((issue) => issue.path)).toEqual(['lines']);
  });

  it.each([0, -1, 1.5])('rejects quantity %d', (quantity) => {
    const input = order({ lines: [{ ...exampleOrder.lines[0], quantity }] });
    expect(issuesOf(input).map((issue) => issue.path)).toEqual(['lines.0.quantity']);
  });

  it('rejects an unknown line kind', () => {
    const input = order({ lines: [{ ...exampleOrder.lines[0], kind: 'rental' as 'product' }] });
    expect(issuesOf(input)).toEqual([
      { path: 'lines.0.kind', message: 'kind must be "product" or "service"' },
    ]);
  });

  it('rejects a price with more than two decimals', () => {
    const input = order({ lines: [{ ...exampleOrder.lines[0], unitPrice: '24.999' }] });
    expect(issuesOf(input).map((issue) => issue.path)).toEqual(['lines.0.unitPrice']);
  });

  it('rejects dates and times that are not ISO', () => {
    const input = order({ placedAt: '12/04/2026 10:00', preferredDate: '2026-02-30' });
    expect(issuesOf(input).map((issue) => issue.path)).toEqual(['placedAt', 'preferredDate']);
  });

  it('rejects a subscription with a bad interval', () => {
    const input = order({
      subscription: { id: 'sub_5', interval: 'day' as 'week', intervalCount: 0, startsAt: '2026-12-04' },
    });
    expect(issuesOf(input).map((issue) => issue.path)).toEqual([
      'subscription.interval',
      'subscription.intervalCount',
    ]);
  });

  it('rejects a subtotal that is not the sum of the lines', () => {
    expect(
      issuesOf(
        order({ subtotal: '49.99', total: '54.11', payment: { ...exampleOrder.payment, amount: '54.11' } }),
      ),
    ).toEqual([{ path: 'subtotal', message: expect.stringContaining('49.98') }]);
  });

  it('rejects a total that is not subtotal plus tax', () => {
    expect(
      issuesOf(order({ total: '54.00', payment: { ...exampleOrder.payment, amount: '54.00' } })),
    ).toEqual([{ path: 'total', message: expect.stringContaining('54.10') }]);
  });

  it('rejects a payment that is not the total', () => {
    expect(issuesOf(order({ payment: { ...exampleOrder.payment, amount: '50.00' } }))).toEqual([
      { path: 'payment.amount', message: expect.stringContaining('54.10') },
    ]);
  });

  it('compares amounts by value, not by spelling', () => {
    const input = order({
      subtotal: '049.98',
      total: '54.1',
      payment: { ...exampleOrder.payment, amount: '54.10' },
    });
    expect(issuesOf(input)).toEqual([]);
  });

  it('rejects a repeated line id, naming the repeat', () => {
    const input = order({
      lines: [exampleOrder.lines[0], { ...serviceLine, id: 'li_1' }],
      subtotal: '138.98',
      total: '143.10',
      payment: { ...exampleOrder.payment, amount: '143.10' },
    });
    expect(issuesOf(input)).toEqual([
      { path: 'lines.1.id', message: 'line id "li_1" appears more than once' },
    ]);
  });

  it('names every missing field', () => {
    expect(
      issuesOf({})
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(
      [
        'currency',
        'customer',
        'id',
        'lines',
        'number',
        'payment',
        'placedAt',
        'serviceAddress',
        'subtotal',
        'tax',
        'total',
      ].sort(),
    );
  });
});

describe('order kinds', () => {
  const mixed = orderSchema.parse(
    order({
      lines: [
        serviceLine,
        exampleOrder.lines[0],
        { ...serviceLine, id: 'li_3', quantity: 2, unitPrice: '10.50' },
      ],
      subtotal: '159.98',
      tax: '0',
      total: '159.98',
      payment: { ...exampleOrder.payment, amount: '159.98' },
    }),
  );
  const products = orderSchema.parse(exampleOrder);

  it('says product, service or mixed', () => {
    expect(orderKind(products)).toBe('product');
    expect(orderKind(mixed)).toBe('mixed');
    expect(orderKind({ lines: linesOfKind(mixed, 'service') })).toBe('service');
  });

  it('lists distinct kinds, products first, whatever the line order', () => {
    expect(orderKinds(mixed)).toEqual(['product', 'service']);
    expect(orderKinds(products)).toEqual(['product']);
  });

  it('selects the lines of one kind in their original order', () => {
    expect(linesOfKind(mixed, 'service').map((line) => line.id)).toEqual(['li_2', 'li_3']);
    expect(linesOfKind(products, 'service')).toEqual([]);
  });

  it('totals the lines of one kind', () => {
    expect(subtotalOfKind(mixed, 'service')).toBe('110.00');
    expect(subtotalOfKind(mixed, 'product')).toBe('49.98');
    expect(subtotalOfKind(products, 'service')).toBe('0.00');
  });
});

const cents = fc.integer({ min: 1, max: 500_00 });
const toMoney = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const line = fc.record({
  kind: fc.constantFrom('product', 'service') as fc.Arbitrary<OrderLine['kind']>,
  quantity: fc.integer({ min: 1, max: 20 }),
  unitPrice: cents.map(toMoney),
});
const consistentOrder = fc
  .tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 100_00 }).map(toMoney))
  .map(([lines, tax]): OrderInput => {
    const withIds = lines.map((l, i) => ({ ...l, id: `li_${i}`, sku: `SKU-${i}`, name: `Item ${i}` }));
    const subtotal = sumMoney(withIds.map((l) => multiplyMoney(l.unitPrice, l.quantity)));
    const total = addMoney(subtotal, tax);
    return order({
      lines: withIds,
      subtotal,
      tax,
      total,
      payment: { ...exampleOrder.payment, amount: total },
    });
  });

describe('order properties', () => {
  it('an order whose amounts add up is accepted', () => {
    fc.assert(
      fc.property(consistentOrder, (input) => {
        expect(issuesOf(input)).toEqual([]);
      }),
    );
  });

  it('the subtotals of the kinds add up to the order subtotal', () => {
    fc.assert(
      fc.property(consistentOrder, (input) => {
        const parsed = orderSchema.parse(input);
        const byKind = orderKinds(parsed).map((kind) => subtotalOfKind(parsed, kind));
        expect(sumMoney(byKind)).toBe(sumMoney([parsed.subtotal]));
      }),
    );
  });

  it('every line belongs to exactly one listed kind', () => {
    fc.assert(
      fc.property(consistentOrder, (input) => {
        const parsed = orderSchema.parse(input);
        const kinds = orderKinds(parsed);
        expect(kinds.flatMap((kind) => linesOfKind(parsed, kind)).length).toBe(parsed.lines.length);
        expect(orderKind(parsed)).toBe(kinds.length === 2 ? 'mixed' : kinds[0]);
      }),
    );
  });

  it('an order off by a cent anywhere is refused', () => {
    fc.assert(
      fc.property(consistentOrder, fc.constantFrom('subtotal', 'total', 'payment'), (input, field) => {
        const broken = structuredClone(input);
        if (field === 'payment') broken.payment.amount = addMoney(broken.payment.amount, '0.01');
        else broken[field] = addMoney(broken[field], '0.01');
        expect(orderSchema.safeParse(broken).success).toBe(false);
      }),
    );
  });
});
