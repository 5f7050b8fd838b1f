import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleOrder } from '../domain/sample-order.js';
import { SEED_IDS } from '../servicetitan/sandbox/seed.js';
import { statusQuery } from '../workflows/definitions.js';
import { createOrderSyncHarness, type OrderSyncHarness } from './helpers/order-sync-harness.js';
import { serviceTitanState } from './helpers/servicetitan-state.js';

let h: OrderSyncHarness;
let n = 0;
/** A fresh order id per test: the database is shared by the file, ServiceTitan is reset per test. */
const nextId = () => `ord_${Date.now().toString(36)}${n++}`;

beforeAll(async () => {
  h = await createOrderSyncHarness('order sync');
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.reset();
});

describe('OrderSyncWorkflow', () => {
  it("syncs a new customer's product order into customer, location, item, job, invoice, payment and tags", async () => {
    const order = sampleOrder({
      id: nextId(),
      customer: { firstName: 'Nora', lastName: 'Quinn', phone: '(512) 555-0101', email: 'nora@example.com' },
      serviceAddress: { street: '500 Congress Ave', unit: null, zip: '78701' },
    });
    const result = await h.sync(order);
    expect(result.status).toBe('synced');

    const st = await serviceTitanState(h, order.id);
    expect(st.customers).toHaveLength(1);
    expect(st.customers[0]?.name).toBe('Nora Quinn');
    expect(st.locations).toHaveLength(1);
    expect(st.jobs).toHaveLength(1);
    const job = st.jobs[0];
    expect(job).toMatchObject({
      businessUnitId: SEED_IDS.businessUnits.hvac,
      jobTypeId: SEED_IDS.jobTypes.filterDelivery,
      campaignId: SEED_IDS.campaigns.contractorCommerce,
      priority: 'Normal',
      jobStatus: 'Scheduled',
    });
    // The preferred date at 08:00 in the tenant's zone (America/Chicago, UTC−6 in December).
    expect(Date.parse(st.appointments[0]?.start ?? '')).toBe(Date.parse('2026-12-10T14:00:00Z'));
    expect(st.technicianIds).toEqual([SEED_IDS.technicians.alex]);
    expect(st.invoices[0]?.total).toBe(order.total);
    expect(st.invoices[0]?.items).toHaveLength(1);
    expect(st.invoices[0]?.items?.[0]).toMatchObject({ skuId: expect.any(Number), type: 'Equipment' });
    expect(Number(st.invoices[0]?.items?.[0]?.quantity)).toBe(2);
    expect(st.payments).toHaveLength(1);
    expect(st.payments[0]).toMatchObject({
      total: order.total,
      typeId: String(SEED_IDS.paymentTypes.contractorCommerce),
    });
    expect(st.invoices[0]?.balance).toBe('0.00');
    expect(st.customers[0]?.tagTypeIds).toContain(SEED_IDS.tagTypes.oneTimeProduct);
    expect(st.locations[0]?.tagTypeIds).toContain(SEED_IDS.tagTypes.oneTimeProduct);

    const equipment = await h.st.pricebook.equipment.findByCode('FLT-16x25x1-M11');
    expect(equipment).toHaveLength(1);
    expect(equipment[0]).toMatchObject({
      price: 24.99,
      account: 'Revenue',
      costOfSaleAccount: 'Cost of Goods Sold: Material',
      assetAccount: 'Inventory',
    });

    const row = await h.orderRow(order.id);
    expect(row).toMatchObject({
      status: 'synced',
      stCustomerId: st.customers[0]?.id,
      stLocationId: st.locations[0]?.id,
      lastError: null,
    });
  });

  it('matches an existing customer by phone written in another format and books the service in an arrival window', async () => {
    const order = sampleOrder({
      id: nextId(),
      kind: 'service',
      customer: { firstName: 'Jane', lastName: 'Doe', phone: '512.555.0142' },
      serviceAddress: { street: '1200 Barton Springs Rd', unit: 'Apt 4', zip: '78704' },
    });
    const result = await h.sync(order);
    expect(result.customerId).toBe(SEED_IDS.customers.janeDoe);
    expect(result.locationId).toBe(SEED_IDS.locations.janeDoe);
    const st = await serviceTitanState(h, order.id);
    expect(st.createdCustomers).toBe(0);
    expect(st.jobs[0]).toMatchObject({
      businessUnitId: SEED_IDS.businessUnits.plumbing,
      jobTypeId: SEED_IDS.jobTypes.maintenanceVisit,
    });
    // 08:00 in Chicago on the preferred date, inside the seeded morning window.
    expect(st.appointments[0]).toMatchObject({
      arrivalWindowStart: expect.stringMatching(/^2026-12-10T14:00:00/),
    });
    expect(st.invoices[0]?.items?.[0]?.type).toBe('Service');
    expect(st.invoices[0]?.total).toBe(order.total);
  });

  it('matches by name and address written differently when no phone matches', async () => {
    const order = sampleOrder({
      id: nextId(),
      customer: { firstName: 'LEE', lastName: 'nguyen', phone: '(210) 555-0123' },
      serviceAddress: { street: '2100 South Lamar Boulevard', unit: null, zip: '78704' },
    });
    const result = await h.sync(order);
    expect(result.customerId).toBe(SEED_IDS.customers.leeNguyen);
    expect(result.locationId).toBe(SEED_IDS.locations.leeNguyen);
  });

  it('parks an ambiguous phone match with its candidates until an operator picks the customer', async () => {
    const order = sampleOrder({
      id: nextId(),
      customer: { firstName: 'Chris', lastName: 'Park', phone: '737-555-0199' },
      serviceAddress: { street: '1 Elm St', unit: null, zip: '78702' },
    });
    await h.receive(order);
    const handle = await h.start(order.id);
    const parked = await waitFor(
      () => handle.query(statusQuery),
      (s) => s.status === 'needs_attention',
    );
    expect(parked.lastError?.type).toBe('CUSTOMER_AMBIGUOUS');
    expect(parked.customerCandidates?.map((c) => c.id).sort()).toEqual(
      [SEED_IDS.customers.robertSmith, SEED_IDS.customers.mariaGarcia].sort(),
    );
    expect((await h.orderRow(order.id))?.status).toBe('needs_attention');

    await handle.signal('resolveCustomer', { customerId: SEED_IDS.customers.mariaGarcia });
    const result = await handle.result();
    expect(result.customerId).toBe(SEED_IDS.customers.mariaGarcia);
    const st = await serviceTitanState(h, order.id);
    expect(st.createdCustomers).toBe(0);
    expect(st.locations).toHaveLength(1); // a new location at the order's address, under Maria
    expect(st.locations[0]?.customerId).toBe(SEED_IDS.customers.mariaGarcia);
  });
});

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
