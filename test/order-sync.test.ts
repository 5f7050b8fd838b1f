import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleOrder } from '../domain/sample-order.js';
import { SEED_IDS } from '../servicetitan/sandbox/seed.js';
import { orderSyncWorkflowId, statusQuery } from '../workflows/definitions.js';
import { type SubscriptionSchedule, subscriptionWorkflowId } from '../workflows/subscription-definitions.js';
import { recordHistory } from './helpers/histories.js';
import { createOrderSyncHarness, type OrderSyncHarness } from './helpers/order-sync-harness.js';
import { serviceTitanState } from './helpers/servicetitan-state.js';
import { waitFor } from './helpers/wait-for.js';

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
  await h.useSettings(() => {});
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
    const calls = await h.requests();
    console.log(
      `[measure] ServiceTitan calls for a new customer's one-line product order: ${JSON.stringify(calls, null, 1)}`,
    );

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

    await recordHistory(
      h.client.workflow.getHandle(orderSyncWorkflowId(h.tenantId, order.id)),
      'order-sync-new-customer',
    );
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
    await recordHistory(handle, 'order-sync-ambiguous-customer-resolved');
    const st = await serviceTitanState(h, order.id);
    expect(st.createdCustomers).toBe(0);
    expect(st.locations).toHaveLength(1); // a new location at the order's address, under Maria
    expect(st.locations[0]?.customerId).toBe(SEED_IDS.customers.mariaGarcia);
  });

  it('uses the configured existing SKU for every product line and creates no pricebook item', async () => {
    await h.useSettings((s) => {
      if (s.products)
        s.products.accounting = {
          ...s.products.accounting,
          existingSkuId: SEED_IDS.pricebook.onlineStoreEquipment,
        };
    });
    const order = sampleOrder({ id: nextId(), customer: { phone: '(512) 555-0142' } });
    await h.sync(order);
    const st = await serviceTitanState(h, order.id);
    expect(st.invoices[0]?.items?.map((item) => item.skuId)).toEqual([
      SEED_IDS.pricebook.onlineStoreEquipment,
    ]);
    expect(st.invoices[0]?.total).toBe(order.total);
    const requests = await h.requests();
    expect(Object.keys(requests.byRoute).filter((route) => route.startsWith('POST /pricebook'))).toEqual([]);
  });

  it("creates Material items with the contractor's accounts and Service items for service lines", async () => {
    await h.useSettings((s) => {
      if (s.products) s.products.invoiceItemType = 'Material';
      if (s.products)
        s.products.accounting = { ...s.products.accounting, intacctGlGroupName: 'Intacct Product Sales' };
    });
    const order = sampleOrder({ id: nextId(), kind: 'mixed' });
    const result = await h.sync(order);
    expect(result.jobs.map((job) => job.kind)).toEqual(['product', 'service']);
    const [material] = await h.st.pricebook.materials.findByCode('FLT-16x25x1-M11');
    expect(material).toMatchObject({
      account: 'Revenue',
      costOfSaleAccount: 'Cost of Goods Sold: Material',
      assetAccount: 'Inventory',
      price: 24.99,
    });
    const [service] = await h.st.pricebook.services.findByCode('SVC-AC-TUNEUP');
    expect(service).toMatchObject({ account: 'Revenue', price: 129 });
    const st = await serviceTitanState(h, order.id);
    expect(
      st.invoices
        .flatMap((invoice) => invoice.items ?? [])
        .map((item) => item.type)
        .sort(),
    ).toEqual(['Material', 'Service']);
  });

  it('gives a mixed order one job per kind with its own settings, invoices that add up to the order, and one payment', async () => {
    const order = sampleOrder({ id: nextId(), kind: 'mixed', taxRate: '0.0825' });
    const result = await h.sync(order);
    const st = await serviceTitanState(h, order.id);
    expect(st.jobs.map((job) => job.businessUnitId).sort()).toEqual([
      SEED_IDS.businessUnits.hvac,
      SEED_IDS.businessUnits.plumbing,
    ]);
    const totals = st.invoices.map((invoice) => Number(invoice.total));
    expect(totals.reduce((a, b) => a + b, 0).toFixed(2)).toBe(order.total);
    expect(st.payments).toHaveLength(1);
    expect(st.payments[0]?.total).toBe(order.total);
    expect(st.payments[0]?.appliedTo).toHaveLength(2);
    expect(st.invoices.every((invoice) => invoice.balance === '0.00')).toBe(true);
    expect(result.jobs).toHaveLength(2);
  });

  it('records an order whose kind is switched off as skipped and pushes nothing', async () => {
    await h.useSettings((s) => {
      if (s.products) s.products.enabled = false;
    });
    const order = sampleOrder({ id: nextId() });
    const result = await h.sync(order);
    expect(result.status).toBe('skipped');
    expect((await h.orderRow(order.id))?.status).toBe('skipped');
    const requests = await h.requests();
    expect(
      Object.keys(requests.byRoute).filter(
        (route) => !route.startsWith('GET') && route !== 'POST /connect/token',
      ),
    ).toEqual([]);
  });

  it('parks a service order when arrival windows are on but none is active, and completes after one is added', async () => {
    await h.patchEntity('arrival-windows', SEED_IDS.arrivalWindows.morning, { active: false });
    await h.patchEntity('arrival-windows', SEED_IDS.arrivalWindows.afternoon, { active: false });
    const order = sampleOrder({ id: nextId(), kind: 'service' });
    await h.receive(order);
    const handle = await h.start(order.id, 'service');
    const parked = await waitFor(
      () => handle.query(statusQuery),
      (s) => s.status === 'needs_attention',
    );
    expect(parked.lastError?.type).toBe('ARRIVAL_WINDOWS_NOT_CONFIGURED');
    expect(parked.lastError?.message).toMatch(/no active arrival window/);
    expect((await h.orderRow(order.id))?.lastError).toMatch(/Arrival windows are switched on/);
    // What an operator sees in the Temporal UI for the parked order.
    const described = await handle.describe();
    expect(described.searchAttributes).toMatchObject({
      TenantId: [h.tenantId],
      OrderId: [order.id],
      OrderKind: ['service'],
      SyncStatus: ['needs_attention'],
    });
    expect(described.memo).toMatchObject({ orderNumber: order.number, customerName: 'Jane Doe' });
    console.log(
      `[measure] a parked order in the Temporal UI: ${JSON.stringify({ searchAttributes: described.searchAttributes, memo: described.memo, status: parked }, null, 1)}`,
    );

    await h.st.dispatch.arrivalWindows.create({
      start: '09:00',
      duration: '03:00',
      businessUnitIds: [SEED_IDS.businessUnits.plumbing],
    });
    await handle.signal('retry');
    await handle.result();
    const st = await serviceTitanState(h, order.id);
    expect(st.jobs).toHaveLength(1);
    expect(st.appointments[0]?.arrivalWindowStart).toMatch(/^2026-12-10T15:00:00/);
    await recordHistory(handle, 'order-sync-parked-then-retried');
  });

  it('starts the subscription workflow from a real order sync, and it outlives the order sync', async () => {
    const order = sampleOrder({
      id: nextId(),
      customer: { firstName: 'Sam', lastName: 'Renew', phone: '(512) 555-0188' },
      subscription: { id: `sub_${nextId()}`, interval: 'month', intervalCount: 3, startsAt: '2026-12-04' },
    });
    const result = await h.sync(order);
    expect(result.status).toBe('synced');
    const subscription = h.client.workflow.getHandle(
      subscriptionWorkflowId(h.tenantId, order.subscription?.id ?? ''),
    );
    const described = await waitFor(
      () => subscription.describe(),
      (d) => d.status.name === 'RUNNING',
    );
    expect(described.searchAttributes).toMatchObject({
      TenantId: [h.tenantId],
      SubscriptionId: [order.subscription?.id],
    });
    const parentHandle = h.client.workflow.getHandle(orderSyncWorkflowId(h.tenantId, order.id));
    expect((await parentHandle.describe()).status.name).toBe('COMPLETED');
    await recordHistory(parentHandle, 'order-sync-starting-a-subscription');
    const schedule = await waitFor(
      () => subscription.query<SubscriptionSchedule>('schedule'),
      (x) => x.nextCycleDate !== null,
    );
    expect(schedule).toMatchObject({ status: 'active', nextCycleDate: '2027-03-04' });
    const st = await serviceTitanState(h, order.id);
    expect(st.customers[0]?.tagTypeIds).toContain(SEED_IDS.tagTypes.subscriptionProduct);
    await subscription.terminate('test finished');
  });
});
