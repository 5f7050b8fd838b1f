import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { SecretBox } from '../../db/secret-box.js';
import { saveTenant, saveTenantSettings } from '../../db/tenants.js';
import type { SettingsInput } from '../../domain/settings.js';
import { SEED_IDS } from '../../servicetitan/sandbox/seed.js';
import type { SandboxTenant } from './sandbox.js';

export interface BenchTenant {
  id: string;
  webhookSecret: string;
  serviceTitanTenantId: number;
}

/** The sandbox tenant's working settings: products as Equipment; services with arrival windows. */
function benchSettings(): SettingsInput {
  const id = SEED_IDS;
  return {
    paymentTypeId: id.paymentTypes.contractorCommerce,
    customers: { createCustomers: true, createLocations: true },
    products: {
      enabled: true,
      includeArrivalWindows: false,
      invoiceItemType: 'Equipment',
      accounting: {
        existingSkuId: null,
        account: 'Revenue',
        costOfSaleAccount: 'Cost of Goods Sold: Material',
        assetAccount: 'Inventory',
        intacctGlGroupName: null,
      },
      job: {
        campaignId: id.campaigns.contractorCommerce,
        businessUnitId: id.businessUnits.hvac,
        jobTypeId: id.jobTypes.filterDelivery,
      },
      tags: {
        oneTimeTagTypeId: id.tagTypes.oneTimeProduct,
        subscriptionTagTypeId: id.tagTypes.subscriptionProduct,
      },
      technicianId: id.technicians.alex,
    },
    services: {
      enabled: true,
      includeArrivalWindows: true,
      job: {
        campaignId: id.campaigns.contractorCommerce,
        businessUnitId: id.businessUnits.plumbing,
        jobTypeId: id.jobTypes.maintenanceVisit,
      },
      tags: {
        oneTimeTagTypeId: id.tagTypes.oneTimeService,
        subscriptionTagTypeId: id.tagTypes.subscriptionService,
      },
      technicianId: id.technicians.sam,
    },
    subscriptions: { leadDays: 7, renewalGraceDays: 3 },
  };
}

/** One store tenant per sandbox tenant, stored directly in the database (as `PUT /api/tenants` would). */
export async function saveBenchTenants(
  db: Database,
  secrets: SecretBox,
  options: { prefix: string; sandboxUrl: string; sandboxTenants: SandboxTenant[] },
): Promise<BenchTenant[]> {
  const out: BenchTenant[] = [];
  for (const [i, st] of options.sandboxTenants.entries()) {
    const id = `${options.prefix}-${i}`;
    const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
    await saveTenant(db, secrets, {
      id,
      name: `Benchmark ${id}`,
      timeZone: 'America/Chicago',
      serviceTitan: {
        environment: 'sandbox',
        tenantId: st.tenantId,
        clientId: st.clientId,
        clientSecret: st.clientSecret,
        appKey: st.appKey,
        baseUrl: options.sandboxUrl,
      },
      webhookSecrets: [webhookSecret],
    });
    await saveTenantSettings(db, id, benchSettings());
    out.push({ id, webhookSecret, serviceTitanTenantId: st.tenantId });
  }
  return out;
}
