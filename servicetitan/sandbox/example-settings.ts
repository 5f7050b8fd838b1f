import type { SettingsInput } from '../../domain/settings.js';
import { SEED_IDS } from './seed.js';

/**
 * Working settings for the sandbox's seeded tenant (products as Equipment, services with arrival
 * windows), shared by the tests and the benchmark. `npm start` chooses its demo settings from the
 * sandbox's live options instead (scripts/demo-tenant.ts), as a contractor would.
 */
export function exampleSandboxSettings(): SettingsInput {
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
