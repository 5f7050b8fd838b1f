import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleOrder } from '../domain/sample-order.js';
import { SEED_IDS } from '../servicetitan/sandbox/seed.js';
import { type OrderSyncResult, statusQuery } from '../workflows/definitions.js';
import { recordHistory } from './helpers/histories.js';
import {
  createOrderSyncHarness,
  type OrderSyncHarness,
  resultOrStatus,
} from './helpers/order-sync-harness.js';
import { serviceTitanState } from './helpers/servicetitan-state.js';
import { waitFor } from './helpers/wait-for.js';

let h: OrderSyncHarness;
let n = 0;
const nextId = () => `ord_r${Date.now().toString(36)}${n++}`;

beforeAll(async () => {
  h = await createOrderSyncHarness('order sync reliability');
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.reset();
  await h.useSettings(() => {});
});

/** Exactly one of everything ServiceTitan should hold for a one-kind order of a new customer. */
async function expectExactlyOnce(orderId: string, total: string) {
  const st = await serviceTitanState(h, orderId);
  expect(st.customers).toHaveLength(1);
  expect(st.locations).toHaveLength(1);
  expect(st.jobs).toHaveLength(1);
  expect(st.activeJobs).toHaveLength(1);
  expect(st.invoices).toHaveLength(1);
  expect(st.invoices[0]?.items).toHaveLength(1);
  expect(st.invoices[0]?.total).toBe(total);
  expect(st.invoices[0]?.balance).toBe('0.00');
  expect(st.payments).toHaveLength(1);
  expect((await h.st.pricebook.equipment.findByCode('FLT-16x25x1-M11')).length).toBe(1);
  return st;
}

const newCustomer = (id: string) =>
  sampleOrder({
    id,
    customer: {
      firstName: 'Ada',
      lastName: `Tester${id.slice(-4)}`,
      phone: `(512) 555-${String(1000 + (n % 8000)).padStart(4, '0')}`,
    },
    serviceAddress: { street: `${100 + n} Reliability Way`, unit: null, zip: '78702' },
  });

describe('OrderSyncWorkflow exactly once', () => {
  it('creates one of everything when ServiceTitan commits every create but the response is lost', async () => {
    const lose = (method: string, pathPrefix: string) => ({
      method,
      pathPrefix,
      mode: 'commit-then-error',
      rate: 1,
    });
    await h.faults({
      rules: [
        lose('POST', '/crm/v2/tenant/{tenant}/customers'),
        lose('POST', '/crm/v2/tenant/{tenant}/locations'),
        lose('POST', '/pricebook/v2/tenant/{tenant}/equipment'),
        lose('POST', '/jpm/v2/tenant/{tenant}/jobs'),
        lose('PATCH', '/accounting/v2/tenant/{tenant}/invoices'),
        lose('POST', '/accounting/v2/tenant/{tenant}/payments'),
      ],
    });
    const order = newCustomer(nextId());
    const result = await h.sync(order);
    expect(result.status).toBe('synced');
    await h.faults({});
    const st = await expectExactlyOnce(order.id, order.total);
    expect(st.customers[0]?.tagTypeIds).toEqual([SEED_IDS.tagTypes.oneTimeProduct]);
  });

  it('completes exactly once through 30% server errors and a tight rate limit', async () => {
    await h.faults({ rules: [{ mode: 'error', status: 503, rate: 0.3 }], rateLimitPerSecond: 4 });
    const order = newCustomer(nextId());
    const result = await h.sync(order);
    expect(result.status).toBe('synced');
    await h.faults({});
    await expectExactlyOnce(order.id, order.total);
  });

  it('does nothing new when the same order is started twice, while running and after it finished', async () => {
    const order = newCustomer(nextId());
    await h.receive(order);
    const [first, second] = await Promise.all([h.start(order.id), h.start(order.id)]);
    expect(second.workflowId).toBe(first.workflowId);
    await resultOrStatus(first);
    await h.clearRequests();
    // A later redelivery starts a new run: every step finds its ledger entry and creates nothing.
    const again = await h.client.workflow.start('orderSyncWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: first.workflowId,
      args: [{ tenantId: h.tenantId, orderId: order.id }],
    });
    await resultOrStatus(again);
    const writes = Object.entries((await h.requests()).byRoute).filter(
      ([route]) => !route.startsWith('GET') && route !== 'POST /connect/token',
    );
    expect(writes).toEqual([]);
    await expectExactlyOnce(order.id, order.total);
  });

  it('finishes exactly once after the worker is stopped mid-run and a new one takes over', async () => {
    await h.faults({
      rules: [
        {
          method: 'POST',
          pathPrefix: '/jpm/v2/tenant/{tenant}/jobs',
          mode: 'latency',
          latencyMs: 2500,
          rate: 1,
        },
      ],
    });
    const order = newCustomer(nextId());
    await h.receive(order);
    const handle = await h.start(order.id);
    await waitFor(
      () => handle.query(statusQuery),
      (s) => s.steps['job:product']?.state === 'running',
    );
    await h.restartWorker();
    await h.faults({});
    const result = await resultOrStatus<OrderSyncResult>(handle, 90_000);
    expect(result.status).toBe('synced');
    await expectExactlyOnce(order.id, order.total);
  });
});

describe('OrderSyncWorkflow saga and parking', () => {
  it('undoes a half-built job when the payment is refused, parks, and completes once after the fix', async () => {
    await h.patchEntity('payment-types', SEED_IDS.paymentTypes.contractorCommerce, { active: false });
    const order = newCustomer(nextId());
    await h.receive(order);
    const handle = await h.start(order.id);
    const parked = await waitFor(
      () => handle.query(statusQuery),
      (s) => s.status === 'needs_attention',
    );
    expect(parked.lastError?.type).toBe('SERVICETITAN_REJECTED');
    expect(parked.lastError?.message).toMatch(/Recording the payment/);
    expect(parked.steps['job:product']?.state).toBe('compensated');
    expect(parked.steps['invoice:product']?.state).toBe('compensated');
    const halfway = await serviceTitanState(h, order.id);
    expect(halfway.jobs[0]?.jobStatus).toBe('Canceled');
    expect(halfway.invoices[0]?.items ?? []).toHaveLength(0);
    expect(halfway.invoices[0]?.total).toBe('0.00');
    const row = await h.orderRow(order.id);
    expect(row).toMatchObject({ status: 'needs_attention', lastErrorType: 'SERVICETITAN_REJECTED' });

    await h.patchEntity('payment-types', SEED_IDS.paymentTypes.contractorCommerce, { active: true });
    await handle.signal('retry');
    await handle.signal('retry'); // an impatient operator: the second press changes nothing
    const result = await resultOrStatus<OrderSyncResult>(handle);
    expect(result.status).toBe('synced');
    const st = await expectExactlyOnce(order.id, order.total);
    expect(st.jobs[0]?.jobStatus).toBe('Scheduled');
    await recordHistory(handle, 'order-sync-saga-compensated-then-retried');
    expect((await h.orderRow(order.id))?.status).toBe('synced');
  });

  it('catches an invoice that does not add up to the order (the $0-invoice trap) instead of reporting success', async () => {
    await h.faults({
      rules: [
        {
          method: 'PATCH',
          pathPrefix: '/accounting/v2/tenant/{tenant}/invoices',
          mode: 'ignore-unit-price',
          rate: 1,
        },
      ],
    });
    const order = newCustomer(nextId());
    await h.receive(order);
    const handle = await h.start(order.id);
    const parked = await waitFor(
      () => handle.query(statusQuery),
      (s) => s.status === 'needs_attention',
    );
    expect(parked.lastError?.type).toBe('INVOICE_TOTAL_MISMATCH');
    expect(parked.lastError?.message).toMatch(/landed at \$0/);
    const halfway = await serviceTitanState(h, order.id);
    expect(halfway.invoices[0]?.items ?? []).toHaveLength(0);
    expect(halfway.payments).toHaveLength(0);

    await h.faults({});
    await handle.signal('retry');
    await resultOrStatus(handle);
    await expectExactlyOnce(order.id, order.total);
  });
});
