import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchServiceTitanOptions, type ServiceTitanOptions } from '../../api/servicetitan-options.js';
import { checkSettings } from '../../api/settings-validation.js';
import { settingsSchema } from '../../domain/settings.js';
import { chooseDemoSettings } from '../../scripts/demo-tenant.js';
import { createServiceTitanClient } from '../../servicetitan/client.js';
import { SANDBOX_TENANT, SEED_IDS } from '../../servicetitan/sandbox/seed.js';
import { type RunningSandbox, startSandbox } from '../../servicetitan/sandbox/server.js';

describe('the demo tenant’s settings, chosen from the sandbox’s live lists', () => {
  let sandbox: RunningSandbox;
  let options: ServiceTitanOptions;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const st = createServiceTitanClient({
      environment: 'sandbox',
      tenantId: SANDBOX_TENANT.tenantId,
      clientId: SANDBOX_TENANT.clientId,
      clientSecret: SANDBOX_TENANT.clientSecret,
      appKey: SANDBOX_TENANT.appKey,
      baseUrl: sandbox.url,
    });
    options = await fetchServiceTitanOptions(st);
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('pass the API’s validation against live ServiceTitan data without errors or warnings', () => {
    const settings = settingsSchema.parse(chooseDemoSettings(options));
    expect(checkSettings(settings, options)).toEqual({ errors: [], warnings: [] });
  });

  it('pick what the seed article tells a contractor to pick', () => {
    const settings = settingsSchema.parse(chooseDemoSettings(options));
    expect(settings.paymentTypeId).toBe(SEED_IDS.paymentTypes.contractorCommerce);
    expect(settings.products).toMatchObject({
      enabled: true,
      includeArrivalWindows: true,
      invoiceItemType: 'Equipment',
      job: { campaignId: SEED_IDS.campaigns.contractorCommerce, jobTypeId: SEED_IDS.jobTypes.filterDelivery },
      tags: {
        oneTimeTagTypeId: SEED_IDS.tagTypes.oneTimeProduct,
        subscriptionTagTypeId: SEED_IDS.tagTypes.subscriptionProduct,
      },
      accounting: {
        account: 'Revenue',
        costOfSaleAccount: 'Cost of Goods Sold: Material',
        assetAccount: 'Inventory',
      },
    });
    expect(settings.services).toMatchObject({
      enabled: true,
      includeArrivalWindows: true,
      job: { jobTypeId: SEED_IDS.jobTypes.maintenanceVisit },
      tags: {
        oneTimeTagTypeId: SEED_IDS.tagTypes.oneTimeService,
        subscriptionTagTypeId: SEED_IDS.tagTypes.subscriptionService,
      },
    });
  });

  it('follow the sandbox when a choice is switched off in ServiceTitan', () => {
    const withoutHvac = {
      ...options,
      businessUnits: options.businessUnits.map((unit) =>
        unit.id === SEED_IDS.businessUnits.hvac ? { ...unit, active: false } : unit,
      ),
    };
    const settings = settingsSchema.parse(chooseDemoSettings(withoutHvac));
    expect(settings.services.job.businessUnitId).toBe(SEED_IDS.businessUnits.plumbing);
    expect(checkSettings(settings, withoutHvac).errors).toEqual([]);
  });

  it('say what is missing when the sandbox offers no store payment type', () => {
    const noPaymentType = {
      ...options,
      paymentTypes: options.paymentTypes.map((type) => ({ ...type, active: false })),
    };
    expect(() => chooseDemoSettings(noPaymentType)).toThrow(/payment type named "Contractor Commerce"/);
  });
});
