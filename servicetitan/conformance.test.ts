import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedCustomer, Customer, Job, Material } from './index.js';
import { clearTokenCache, createServiceTitanClient, type ServiceTitanClient } from './index.js';
import { SANDBOX_TENANT, SEED_IDS } from './sandbox/seed.js';
import { startSandbox } from './sandbox/server.js';
import { SpecRecorder } from './spec-recorder.js';

// Conformance: every operation of the client, called against the sandbox, with each request body
// and each answer checked against ServiceTitan's official OpenAPI documents. The tests run in order
// and share what they create (customer → location → job → invoice → payment), like an order does.

// The sandbox's one documented extension: ServiceTitan's "Cash" payment-type attribute, which the
// real API does not expose (see sandbox/accounting.ts).
const SANDBOX_EXTENSIONS = ['cashAttribute'];
const setup = SpecRecorder.tryCreate({ extensions: SANDBOX_EXTENSIONS });
const recorder = setup.recorder;
const ids = SEED_IDS;

/** Every operation the client implements; the last test checks each was exercised. */
const CLIENT_OPERATIONS = [
  'GET /settings/v2/tenant/{tenant}/business-units',
  'GET /settings/v2/tenant/{tenant}/business-units/{id}',
  'GET /settings/v2/tenant/{tenant}/tag-types',
  'GET /settings/v2/tenant/{tenant}/technicians',
  'GET /settings/v2/tenant/{tenant}/technicians/{id}',
  'GET /marketing/v2/tenant/{tenant}/campaigns',
  'GET /marketing/v2/tenant/{tenant}/campaigns/{id}',
  'GET /jpm/v2/tenant/{tenant}/job-types',
  'GET /jpm/v2/tenant/{tenant}/job-types/{id}',
  'GET /jpm/v2/tenant/{tenant}/job-cancel-reasons',
  'GET /jpm/v2/tenant/{tenant}/jobs',
  'GET /jpm/v2/tenant/{tenant}/jobs/{id}',
  'POST /jpm/v2/tenant/{tenant}/jobs',
  'PATCH /jpm/v2/tenant/{tenant}/jobs/{id}',
  'PUT /jpm/v2/tenant/{tenant}/jobs/{id}/cancel',
  'PUT /jpm/v2/tenant/{tenant}/jobs/{id}/remove-cancellation',
  'GET /jpm/v2/tenant/{tenant}/appointments',
  'GET /jpm/v2/tenant/{tenant}/appointments/{id}',
  'GET /dispatch/v2/tenant/{tenant}/arrival-windows',
  'GET /dispatch/v2/tenant/{tenant}/arrival-windows/{id}',
  'POST /dispatch/v2/tenant/{tenant}/arrival-windows',
  'PUT /dispatch/v2/tenant/{tenant}/arrival-windows/{id}/activated',
  'GET /dispatch/v2/tenant/{tenant}/appointment-assignments',
  'POST /dispatch/v2/tenant/{tenant}/appointment-assignments/assign-technicians',
  'GET /crm/v2/tenant/{tenant}/customers',
  'GET /crm/v2/tenant/{tenant}/customers/{id}',
  'POST /crm/v2/tenant/{tenant}/customers',
  'PATCH /crm/v2/tenant/{tenant}/customers/{id}',
  'POST /crm/v2/tenant/{tenant}/customers/{id}/tags/{tagTypeId}',
  'DELETE /crm/v2/tenant/{tenant}/customers/{id}/tags/{tagTypeId}',
  'GET /crm/v2/tenant/{tenant}/locations',
  'GET /crm/v2/tenant/{tenant}/locations/{id}',
  'POST /crm/v2/tenant/{tenant}/locations',
  'PATCH /crm/v2/tenant/{tenant}/locations/{id}',
  'POST /crm/v2/tenant/{tenant}/locations/{id}/tags/{tagTypeId}',
  'DELETE /crm/v2/tenant/{tenant}/locations/{id}/tags/{tagTypeId}',
  ...['materials', 'equipment', 'services'].flatMap((kind) => [
    `GET /pricebook/v2/tenant/{tenant}/${kind}`,
    `GET /pricebook/v2/tenant/{tenant}/${kind}/{id}`,
    `POST /pricebook/v2/tenant/{tenant}/${kind}`,
    `PATCH /pricebook/v2/tenant/{tenant}/${kind}/{id}`,
  ]),
  'GET /accounting/v2/tenant/{tenant}/invoices',
  'PATCH /accounting/v2/tenant/{tenant}/invoices/{id}',
  'PATCH /accounting/v2/tenant/{tenant}/invoices/{invoiceId}/items',
  'DELETE /accounting/v2/tenant/{tenant}/invoices/{invoiceId}/items/{itemId}',
  'GET /accounting/v2/tenant/{tenant}/payments',
  'POST /accounting/v2/tenant/{tenant}/payments',
  'GET /accounting/v2/tenant/{tenant}/payment-types',
  'GET /accounting/v2/tenant/{tenant}/payment-types/{id}',
  'GET /accounting/v2/tenant/{tenant}/gl-accounts',
];

describe.skipIf(!recorder)(
  `conformance with the ServiceTitan specs${setup.reason ? ` (skipped: ${setup.reason})` : ''}`,
  () => {
    const rec = recorder as SpecRecorder;
    let sandbox: Awaited<ReturnType<typeof startSandbox>>;
    let st: ServiceTitanClient;
    const orderId = randomUUID();

    // Shared across the ordered tests below.
    let customer: CreatedCustomer;
    let locationId: number;
    let material: Material;
    let job: Job;
    let arrivalWindowId: number;

    beforeAll(async () => {
      clearTokenCache();
      sandbox = await startSandbox({ port: 0 });
      st = createServiceTitanClient(
        { environment: 'sandbox', baseUrl: sandbox.url, ...SANDBOX_TENANT },
        { fetch: rec.fetch },
      );
    });

    afterAll(async () => {
      await sandbox?.close();
    });

    // Every exchange of every test must match the spec: request schema, response schema, documented status.
    afterEach(() => {
      expect(rec.violations()).toEqual([]);
    });

    describe('settings, marketing, lookups', () => {
      it('checks the connection', async () => {
        await st.checkConnection();
      });

      it('lists and gets business units', async () => {
        const units = await st.settings.businessUnits.listAll({ active: 'Any' });
        expect(units.map((u) => u.id)).toContain(ids.businessUnits.hvac);
        expect(await st.settings.businessUnits.get(ids.businessUnits.hvac)).toMatchObject({
          id: ids.businessUnits.hvac,
          active: true,
        });
      });

      it('lists tag types', async () => {
        const tags = await st.settings.tagTypes.listAll();
        expect(tags.map((t) => t.id)).toContain(ids.tagTypes.oneTimeProduct);
      });

      it('lists and gets technicians', async () => {
        const page = await st.settings.technicians.list({ ids: [ids.technicians.alex, ids.technicians.sam] });
        expect(page.data).toHaveLength(2);
        expect(await st.settings.technicians.get(ids.technicians.alex)).toMatchObject({
          name: 'Alex Rivera',
        });
      });

      it('lists and gets campaigns', async () => {
        const campaigns = await st.marketing.campaigns.listAll({ name: 'contractor' });
        expect(campaigns.map((c) => c.id)).toEqual([ids.campaigns.contractorCommerce]);
        expect(await st.marketing.campaigns.get(ids.campaigns.contractorCommerce)).toMatchObject({
          active: true,
        });
      });

      it('lists and gets job types', async () => {
        const types = await st.jpm.jobTypes.listAll();
        expect(types.map((t) => t.id)).toContain(ids.jobTypes.filterDelivery);
        expect(await st.jpm.jobTypes.get(ids.jobTypes.filterDelivery)).toMatchObject({
          name: 'Filter Delivery',
        });
      });

      it('lists job cancel reasons, active and inactive', async () => {
        const reasons = await st.jpm.jobCancelReasons.listAll();
        expect(reasons.map((r) => r.id)).toContain(ids.jobCancelReasons.inactiveDuplicate);
      });

      it('lists and gets payment types and GL accounts', async () => {
        const types = await st.accounting.paymentTypes.listAll();
        expect(types.map((t) => t.name)).toContain('Contractor Commerce');
        expect(await st.accounting.paymentTypes.get(ids.paymentTypes.contractorCommerce)).toMatchObject({
          name: 'Contractor Commerce',
        });
        const accounts = await st.accounting.glAccounts.listAll({ names: ['Revenue', 'Inventory'] });
        expect(accounts.map((a) => a.name).sort()).toEqual(['Inventory', 'Revenue']);
      });

      it('lists, gets, creates and (de)activates arrival windows', async () => {
        const windows = await st.dispatch.arrivalWindows.listAll();
        expect(windows.map((w) => w.id)).toContain(ids.arrivalWindows.morning);
        expect(await st.dispatch.arrivalWindows.get(ids.arrivalWindows.morning)).toMatchObject({
          active: true,
        });
        const created = await st.dispatch.arrivalWindows.create({
          start: '16:00:00',
          duration: '02:00:00',
          businessUnitIds: [ids.businessUnits.hvac],
        });
        arrivalWindowId = created.id;
        await st.dispatch.arrivalWindows.setActive(arrivalWindowId, false);
        expect((await st.dispatch.arrivalWindows.get(arrivalWindowId)).active).toBe(false);
        await st.dispatch.arrivalWindows.setActive(arrivalWindowId, true);
      });
    });

    describe('customers and locations', () => {
      it('searches customers by phone', async () => {
        const page = await st.crm.customers.list({ phone: '5125550142' });
        expect(page.data.map((c: Customer) => c.id)).toEqual([ids.customers.janeDoe]);
      });

      it('creates a customer with a location and contacts in one call', async () => {
        customer = await st.crm.customers.create({
          name: 'Conformance Customer',
          type: 'Residential',
          address: {
            street: '1 Spec Way',
            unit: null,
            city: 'Austin',
            state: 'TX',
            zip: '78701',
            country: 'USA',
          },
          contacts: [
            { type: 'MobilePhone', value: '(512) 555-0100' },
            { type: 'Email', value: 'spec@example.com' },
          ],
          locations: [
            {
              name: 'Conformance Customer',
              address: { street: '1 Spec Way', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' },
              contacts: [{ type: 'Phone', value: '5125550100', memo: 'from the store' }],
              externalData: st.externalDataFor('orderId', orderId),
            },
          ],
          externalData: st.externalDataFor('orderId', orderId),
        });
        expect(customer.locations).toHaveLength(1);
        expect(customer.contacts.length).toBeGreaterThanOrEqual(2);
        locationId = customer.locations[0]?.id ?? 0;
      });

      it('gets, finds by externalData and patches the customer', async () => {
        expect(await st.crm.customers.get(customer.id)).toMatchObject({ name: 'Conformance Customer' });
        const found = await st.crm.customers.findByExternalData('orderId', orderId);
        expect(found.map((c) => c.id)).toEqual([customer.id]);
        const patched = await st.crm.customers.update(customer.id, {
          name: 'Conformance Customer Jr',
          externalData: st.externalDataMerge({ storeCustomerId: 'cus_77' }),
        });
        expect(patched.name).toBe('Conformance Customer Jr');
      });

      it('adds and removes a customer tag', async () => {
        const tags = await st.crm.customers.addTag(customer.id, ids.tagTypes.vip);
        expect(tags.tagTypeIds).toContain(ids.tagTypes.vip);
        await st.crm.customers.removeTag(customer.id, ids.tagTypes.vip);
        expect((await st.crm.customers.get(customer.id)).tagTypeIds).not.toContain(ids.tagTypes.vip);
      });

      it('lists, creates, gets and patches locations', async () => {
        expect((await st.crm.locations.listByCustomer(customer.id)).map((l) => l.id)).toEqual([locationId]);
        const lineId = randomUUID();
        const second = await st.crm.locations.create({
          customerId: customer.id,
          name: 'Second site',
          address: {
            street: '2 Spec Way',
            unit: 'B',
            city: 'Austin',
            state: 'TX',
            zip: '78702',
            country: 'USA',
          },
          contacts: [{ type: 'Phone', value: '5125550101' }],
          externalData: st.externalDataFor('serviceAddress', lineId),
        });
        expect(second.contacts).toHaveLength(1);
        expect(await st.crm.locations.get(second.id)).toMatchObject({
          customerId: customer.id,
          name: 'Second site',
        });
        expect(
          (await st.crm.locations.findByExternalData('serviceAddress', lineId)).map((l) => l.id),
        ).toEqual([second.id]);
        const byAddress = await st.crm.locations.listAll({
          customerId: customer.id,
          street: '2 Spec Way',
          zip: '78702',
        });
        expect(byAddress.map((l) => l.id)).toEqual([second.id]);
        const patched = await st.crm.locations.update(second.id, {
          name: 'Second site (rear)',
          address: {
            street: '2 Spec Way',
            unit: null,
            city: 'Austin',
            state: 'TX',
            zip: '78702',
            country: 'USA',
          },
        });
        expect(patched.name).toBe('Second site (rear)');
      });

      it('adds and removes a location tag', async () => {
        const tags = await st.crm.locations.addTag(locationId, ids.tagTypes.oneTimeProduct);
        expect(tags).toMatchObject({ locationId, tagTypeIds: [ids.tagTypes.oneTimeProduct] });
        await st.crm.locations.removeTag(locationId, ids.tagTypes.oneTimeProduct);
      });
    });

    describe('pricebook', () => {
      it('creates, gets, patches and finds materials', async () => {
        const code = `FLT-${orderId.slice(0, 8)}`;
        material = await st.pricebook.materials.create({
          code,
          displayName: 'Pleated filter 16x25x1 MERV 11',
          description: 'Pleated filter',
          price: '24.99',
          cost: 0,
          account: 'Revenue',
          costOfSaleAccount: 'Cost of Goods Sold: Material',
          assetAccount: 'Inventory',
          externalData: st.externalDataFor('sku', code),
        });
        expect(material).toMatchObject({ code, price: 24.99 });
        expect(await st.pricebook.materials.get(material.id, { withExternalData: true })).toMatchObject({
          externalData: [{ key: 'sku', value: code }],
        });
        await st.pricebook.materials.update(material.id, {
          displayName: 'Filter 16x25x1 MERV 11',
          price: 25.99,
        });
        const found = await st.pricebook.materials.findByCode(code.toLowerCase());
        expect(found.map((m) => m.id)).toEqual([material.id]);
        expect((await st.pricebook.materials.findByExternalData('sku', code)).map((m) => m.id)).toEqual([
          material.id,
        ]);
      });

      it('creates, gets, patches and finds equipment', async () => {
        const code = `EQ-${orderId.slice(0, 8)}`;
        const item = await st.pricebook.equipment.create({
          code,
          description: 'Thermostat',
          price: 199,
          manufacturer: 'Acme',
        });
        expect(await st.pricebook.equipment.get(item.id)).toMatchObject({ code });
        await st.pricebook.equipment.update(item.id, { model: 'T-1000' });
        expect((await st.pricebook.equipment.findByCode(code)).map((e) => e.id)).toEqual([item.id]);
      });

      it('creates, gets, patches and finds services', async () => {
        const code = `SVC-${orderId.slice(0, 8)}`;
        const item = await st.pricebook.services.create({
          code,
          description: 'Filter change visit',
          price: 89,
          isLabor: true,
        });
        expect(await st.pricebook.services.get(item.id)).toMatchObject({ code });
        await st.pricebook.services.update(item.id, { price: 99 });
        expect((await st.pricebook.services.list({ searchText: code })).data.map((s) => s.id)).toEqual([
          item.id,
        ]);
      });
    });

    describe('jobs, appointments, assignments', () => {
      it('books a job with an appointment, an arrival window and a technician', async () => {
        job = await st.jpm.jobs.create({
          customerId: customer.id,
          locationId,
          businessUnitId: ids.businessUnits.hvac,
          jobTypeId: ids.jobTypes.filterDelivery,
          campaignId: ids.campaigns.contractorCommerce,
          priority: 'Normal',
          summary: '<p>Online order</p>',
          appointments: [
            {
              start: '2026-12-10T14:00:00Z',
              end: '2026-12-10T16:00:00Z',
              arrivalWindowStart: '2026-12-10T14:00:00Z',
              arrivalWindowEnd: '2026-12-10T18:00:00Z',
              technicianIds: [ids.technicians.alex],
            },
          ],
          tagTypeIds: [ids.tagTypes.oneTimeProduct],
          externalData: st.externalDataFor('orderId', orderId),
        });
        expect(job.invoiceId).toBeTypeOf('number');
        expect(job.firstAppointmentId).toBeTypeOf('number');
      });

      it('gets, lists and finds the job by externalData', async () => {
        expect(await st.jpm.jobs.get(job.id)).toMatchObject({
          id: job.id,
          externalData: [{ key: 'orderId', value: orderId }],
        });
        expect((await st.jpm.jobs.list({ customerId: customer.id })).data.map((j) => j.id)).toEqual([job.id]);
        expect(
          (await st.jpm.jobs.findByExternalData('orderId', [orderId, randomUUID()])).map((j) => j.id),
        ).toEqual([job.id]);
      });

      it('patches the job', async () => {
        const patched = await st.jpm.jobs.update(job.id, {
          summary: '<p>Online order #1001</p>',
          customerPo: '1001',
        });
        expect(patched.customerPo).toBe('1001');
      });

      it('lists and gets appointments', async () => {
        const appointments = await st.jpm.appointments.listAll({ jobId: job.id });
        expect(appointments.map((a) => a.id)).toEqual([job.firstAppointmentId]);
        expect(await st.jpm.appointments.get(job.firstAppointmentId ?? 0)).toMatchObject({ jobId: job.id });
      });

      it('assigns and lists technicians', async () => {
        const appointmentId = job.firstAppointmentId ?? 0;
        await st.dispatch.appointmentAssignments.assignTechnicians({
          jobAppointmentId: appointmentId,
          technicianIds: [ids.technicians.sam],
        });
        const assigned = await st.dispatch.appointmentAssignments.listAll({ jobId: job.id });
        expect(assigned.map((a) => a.technicianId).sort()).toEqual([
          ids.technicians.alex,
          ids.technicians.sam,
        ]);
        const byAppointment = await st.dispatch.appointmentAssignments.listAll({
          appointmentIds: [appointmentId],
        });
        expect(byAppointment).toHaveLength(2);
      });
    });

    describe('invoices and payments', () => {
      it("adds, updates and deletes items on the job's invoice", async () => {
        const invoiceId = job.invoiceId ?? 0;
        await st.accounting.invoices.patchItem(invoiceId, {
          skuId: material.id,
          description: 'Pleated filter 16x25x1 MERV 11',
          quantity: 2,
          unitPrice: '24.99',
        });
        await st.accounting.invoices.patchItem(invoiceId, {
          skuId: ids.pricebook.diagnosticService,
          description: 'Remove me',
          quantity: 1,
          unitPrice: 10,
        });
        let invoice = await st.accounting.invoices.getById(invoiceId);
        expect(invoice?.items).toHaveLength(2);
        const [filter, extra] = invoice?.items ?? [];
        await st.accounting.invoices.patchItem(invoiceId, {
          id: filter?.id,
          description: 'Filter (2-pack)',
          quantity: 2,
        });
        await st.accounting.invoices.deleteItem(invoiceId, extra?.id ?? 0);
        invoice = (await st.accounting.invoices.listByIds([invoiceId]))[0];
        expect(invoice?.items.map((i) => i.description)).toEqual(['Filter (2-pack)']);
        expect((await st.accounting.invoices.listByJob(job.id)).map((i) => i.id)).toContain(invoiceId);
      });

      it('patches the invoice header', async () => {
        await st.accounting.invoices.update(job.invoiceId ?? 0, {
          summary: 'Online order 1001',
          dueDate: '2026-12-31',
        });
        expect((await st.accounting.invoices.getById(job.invoiceId ?? 0))?.summary).toBe('Online order 1001');
      });

      it('records a payment and lists it by invoice', async () => {
        const invoiceId = job.invoiceId ?? 0;
        const invoice = await st.accounting.invoices.getById(invoiceId);
        const payment = await st.accounting.payments.create({
          typeId: ids.paymentTypes.contractorCommerce,
          paidOn: '2026-12-04T10:00:02Z',
          memo: 'Store payment pay_9',
          exportId: `pay_${orderId}`,
          splits: [{ invoiceId, amount: invoice?.total ?? '0' }],
        });
        expect(payment.splits[0]?.invoiceId).toBe(invoiceId);
        const listed = await st.accounting.payments.listByInvoices([invoiceId]);
        expect(listed.map((p) => p.id)).toEqual([payment.id]);
      });
    });

    describe('job cancellation', () => {
      it('cancels and un-cancels the job', async () => {
        await st.jpm.jobs.cancel(job.id, {
          reasonId: ids.jobCancelReasons.canceledByIntegration,
          memo: 'Order refunded',
        });
        expect((await st.jpm.jobs.get(job.id)).jobStatus).toBe('Canceled');
        await st.jpm.jobs.removeCancellation(job.id);
        expect((await st.jpm.jobs.get(job.id)).jobStatus).not.toBe('Canceled');
      });
    });

    it('exercised every operation of the client against the spec', () => {
      const missing = CLIENT_OPERATIONS.filter((op) => !rec.covered.has(op));
      expect(missing).toEqual([]);
    });
  },
);
