import type { OrderInput } from '../../domain/order.js';
import { sampleOrder } from '../../domain/sample-order.js';
import type { OrderShape } from './minimum-calls.js';

export interface BenchOrder {
  tenantIndex: number;
  shape: OrderShape;
  order: OrderInput;
}

/**
 * 30% returning customers (the sandbox's seeded Jane Doe and Lee Nguyen, matched by phone), 70% new
 * ones; products, services and mixed orders. Every 10 orders have the same mix, so any prefix of the
 * list (a phase, a --quick run) has the same shape distribution.
 */
const mix: readonly OrderShape[] = [
  'returning-product',
  'new-product',
  'new-service',
  'returning-service',
  'new-mixed',
  'new-product',
  'returning-product',
  'new-service',
  'new-mixed',
  'new-product',
];

/** A few SKUs at fixed prices, so orders share pricebook items the way a store's catalogue does. */
const productSkus = [
  { sku: 'FLT-16x25x1-M11', name: 'Pleated filter 16x25x1 MERV 11', unitPrice: '24.99' },
  { sku: 'FLT-20x25x1-M13', name: 'Pleated filter 20x25x1 MERV 13', unitPrice: '31.50' },
  { sku: 'HUM-PAD-35', name: 'Humidifier pad 35', unitPrice: '18.75' },
] as const;
const serviceSkus = [
  { sku: 'SVC-AC-TUNEUP', name: 'AC tune-up', unitPrice: '129.00' },
  { sku: 'SVC-FURNACE-CHECK', name: 'Furnace safety check', unitPrice: '99.00' },
] as const;

const firstNames = ['Avery', 'Jordan', 'Casey', 'Riley', 'Morgan', 'Quinn', 'Harper', 'Rowan'];

/** Six letters from a number: fixed length, so no new customer's last name contains another's. */
function letters(n: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < 6; i++) {
    out += String.fromCharCode(97 + (rest % 26));
    rest = Math.floor(rest / 26);
  }
  return out;
}

export function buildOrders(options: {
  count: number;
  tenants: number;
  runTag: string;
  salt: number;
  /** Index of the first order: the shape follows the index, so a start of 0 or 10 gives a returning-product order. */
  start?: number;
}) {
  const orders: BenchOrder[] = [];
  const start = options.start ?? 0;
  for (let i = start; i < start + options.count; i++) {
    const shape = mix[i % mix.length] as OrderShape;
    const id = `ord_${options.runTag}_${i}`;
    const product = productSkus[i % productSkus.length] as (typeof productSkus)[number];
    const service = serviceSkus[i % serviceSkus.length] as (typeof serviceSkus)[number];
    const productLine = {
      id: 'li_1',
      kind: 'product' as const,
      ...product,
      description: product.name,
      quantity: 1 + (i % 3),
    };
    const serviceLine = {
      id: 'li_2',
      kind: 'service' as const,
      ...service,
      description: service.name,
      quantity: 1,
    };
    const lines = shape.endsWith('product')
      ? [productLine]
      : shape.endsWith('service')
        ? [serviceLine]
        : [productLine, serviceLine];
    const n = (options.salt + i) % 7_000_000;
    const customer = shape.startsWith('returning')
      ? shape === 'returning-product'
        ? { firstName: 'Jane', lastName: 'Doe', phone: '(512) 555-0142' }
        : { firstName: 'Lee', lastName: 'Nguyen', phone: '512 555 0177' }
      : {
          firstName: firstNames[i % firstNames.length] as string,
          lastName: `Bench${letters(n)}`,
          phone: `(512) ${200 + Math.floor(n / 10_000)}-${String(n % 10_000).padStart(4, '0')}`,
          email: `bench${n}@example.com`,
        };
    const serviceAddress =
      shape === 'returning-product'
        ? {}
        : shape === 'returning-service'
          ? { street: '2100 S Lamar Blvd', unit: null, zip: '78704' }
          : { street: `${100 + (n % 9000)} Benchmark Ln`, unit: null, zip: '78701' };
    orders.push({
      tenantIndex: i % options.tenants,
      shape,
      order: sampleOrder({
        id,
        kind: shape.endsWith('mixed') ? 'mixed' : shape.endsWith('product') ? 'product' : 'service',
        lines,
        customer: { id: `cus_${options.runTag}_${i}`, ...customer },
        serviceAddress,
      }),
    });
  }
  return orders;
}
