import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServiceTitanClient, type ServiceTitanClient } from './index.js';
import { SpecRecorder } from './spec-recorder.js';

// Read-only checks against a real ServiceTitan tenant (integration by default). Nothing is created:
// these prove credentials, paths, parameters and response parsing against the real service, and
// check every answer against the official specs when they are available.
//
//   ST_CLIENT_ID=cid.… ST_CLIENT_SECRET=cs1.… ST_APP_KEY=ak1.… ST_TENANT_ID=123 \
//   [ST_ENVIRONMENT=integration|production] [ST_BASE_URL=… ST_AUTH_URL=…] npx vitest run --project unit servicetitan/live.test.ts

const REQUIRED = ['ST_CLIENT_ID', 'ST_CLIENT_SECRET', 'ST_APP_KEY', 'ST_TENANT_ID'] as const;
const missing = REQUIRED.filter((name) => !process.env[name]);
const reason = `set ${missing.join(', ')} to run these against a ServiceTitan integration tenant`;

describe.skipIf(missing.length > 0)(
  `live ServiceTitan (read-only)${missing.length > 0 ? ` — skipped: ${reason}` : ''}`,
  () => {
    const specs = SpecRecorder.tryCreate();
    let st: ServiceTitanClient;

    beforeAll(() => {
      const environment = process.env.ST_ENVIRONMENT === 'production' ? 'production' : 'integration';
      st = createServiceTitanClient(
        {
          environment,
          tenantId: process.env.ST_TENANT_ID ?? '',
          clientId: process.env.ST_CLIENT_ID ?? '',
          clientSecret: process.env.ST_CLIENT_SECRET ?? '',
          appKey: process.env.ST_APP_KEY ?? '',
          // Optional overrides (a proxy, or the sandbox to rehearse this file).
          baseUrl: process.env.ST_BASE_URL || undefined,
          authUrl: process.env.ST_AUTH_URL || undefined,
          // Stay well below the tenant's budget: other integrations share it.
          rateLimitPerSecond: 5,
        },
        specs.recorder ? { fetch: specs.recorder.fetch } : {},
      );
    });

    afterEach(() => {
      // Report, not fail, on spec drift: the real service is the authority here.
      const drift = specs.recorder?.violations() ?? [];
      if (drift.length > 0)
        console.warn(`ServiceTitan answers that differ from the spec:\n${drift.join('\n')}`);
    });

    it('connects (token, app key, tenant)', async () => {
      await st.checkConnection();
    });

    it('reads the settings lookups', async () => {
      const [units, tags, technicians, campaigns, jobTypes, reasons, windows, paymentTypes, accounts] =
        await Promise.all([
          st.settings.businessUnits.list({ pageSize: 5 }),
          st.settings.tagTypes.list({ pageSize: 5 }),
          st.settings.technicians.list({ pageSize: 5 }),
          st.marketing.campaigns.list({ pageSize: 5 }),
          st.jpm.jobTypes.list({ pageSize: 5 }),
          st.jpm.jobCancelReasons.list({ pageSize: 5 }),
          st.dispatch.arrivalWindows.list({ pageSize: 5 }),
          st.accounting.paymentTypes.list({ pageSize: 5 }),
          st.accounting.glAccounts.list({ pageSize: 5 }),
        ]);
      for (const page of [
        units,
        tags,
        technicians,
        campaigns,
        jobTypes,
        reasons,
        windows,
        paymentTypes,
        accounts,
      ]) {
        expect(page.page).toBe(1);
        expect(Array.isArray(page.data)).toBe(true);
      }
      const firstUnit = units.data[0];
      if (firstUnit) expect((await st.settings.businessUnits.get(firstUnit.id)).id).toBe(firstUnit.id);
      const firstType = paymentTypes.data[0];
      if (firstType) expect((await st.accounting.paymentTypes.get(firstType.id)).id).toBe(firstType.id);
    });

    it('reads customers, locations, jobs, appointments and assignments', async () => {
      const customers = await st.crm.customers.list({ pageSize: 2 });
      const customer = customers.data[0];
      if (customer) {
        expect((await st.crm.customers.get(customer.id)).id).toBe(customer.id);
        await st.crm.locations.list({ customerId: customer.id, pageSize: 2 });
      }
      await st.crm.customers.list({ phone: '5555550100', pageSize: 1 });
      const jobs = await st.jpm.jobs.list({ pageSize: 2 });
      const job = jobs.data[0];
      if (job) {
        expect((await st.jpm.jobs.get(job.id)).id).toBe(job.id);
        await st.jpm.appointments.list({ jobId: job.id, pageSize: 2 });
        await st.dispatch.appointmentAssignments.list({ jobId: job.id, pageSize: 2 });
        if (job.invoiceId) await st.accounting.invoices.getById(job.invoiceId);
      }
      // Our own markers: normally none in a tenant we have not written to; the lookup must still work.
      expect(Array.isArray(await st.jpm.jobs.findByExternalData('orderId', 'live-check-none'))).toBe(true);
    });

    it('reads the pricebook and accounting lists', async () => {
      await st.pricebook.materials.list({ pageSize: 2 });
      await st.pricebook.equipment.list({ pageSize: 2 });
      await st.pricebook.services.list({ pageSize: 2 });
      await st.pricebook.materials.findByCode('ZZ-NO-SUCH-CODE-ZZ');
      await st.accounting.invoices.list({ pageSize: 2 });
      await st.accounting.payments.list({ pageSize: 2 });
    });
  },
);
