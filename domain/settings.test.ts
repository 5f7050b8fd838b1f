import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enabledSettingsForKind, type SettingsInput, settingsForKind, settingsSchema } from './settings.js';

// The settings of contracts.md §3.
const contractSettings = {
  paymentTypeId: 12,
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
    job: { campaignId: 3, businessUnitId: 1, jobTypeId: 7 },
    tags: { oneTimeTagTypeId: 21, subscriptionTagTypeId: 22 },
    technicianId: 31,
  },
  services: {
    enabled: true,
    includeArrivalWindows: true,
    job: { campaignId: 3, businessUnitId: 2, jobTypeId: 8 },
    tags: { oneTimeTagTypeId: 23, subscriptionTagTypeId: 24 },
    technicianId: 32,
  },
  subscriptions: { leadDays: 7, renewalGraceDays: 3 },
} as const satisfies SettingsInput;

const issuesOf = (input: unknown) =>
  settingsSchema
    .safeParse(input)
    .error?.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) ?? [];

describe('settingsSchema', () => {
  it('accepts the contract example unchanged', () => {
    expect(settingsSchema.parse(contractSettings)).toEqual(contractSettings);
  });

  it('fills the defaults: customers and locations created, both kinds off, Equipment, 7 and 3 days', () => {
    expect(settingsSchema.parse({ paymentTypeId: 12 })).toEqual({
      paymentTypeId: 12,
      customers: { createCustomers: true, createLocations: true },
      products: {
        enabled: false,
        includeArrivalWindows: false,
        invoiceItemType: 'Equipment',
        accounting: {
          existingSkuId: null,
          account: null,
          costOfSaleAccount: null,
          assetAccount: null,
          intacctGlGroupName: null,
        },
        job: { campaignId: null, businessUnitId: null, jobTypeId: null },
        tags: { oneTimeTagTypeId: null, subscriptionTagTypeId: null },
        technicianId: null,
      },
      services: {
        enabled: false,
        includeArrivalWindows: false,
        job: { campaignId: null, businessUnitId: null, jobTypeId: null },
        tags: { oneTimeTagTypeId: null, subscriptionTagTypeId: null },
        technicianId: null,
      },
      subscriptions: { leadDays: 7, renewalGraceDays: 3 },
    });
  });

  it('requires a payment type', () => {
    expect(issuesOf({}).map((issue) => issue.path)).toEqual(['paymentTypeId']);
  });

  it('lets a disabled kind leave its ids unset', () => {
    const input = { ...contractSettings, services: { enabled: false, job: { campaignId: null } } };
    expect(issuesOf(input)).toEqual([]);
  });

  it('requires each job and tag id of an enabled kind, in plain language', () => {
    const input = {
      ...contractSettings,
      products: { ...contractSettings.products, job: { campaignId: 3, businessUnitId: null, jobTypeId: 7 } },
      services: { ...contractSettings.services, tags: { oneTimeTagTypeId: 23 } },
    };
    expect(issuesOf(input)).toEqual([
      {
        path: 'products.job.businessUnitId',
        message: expect.stringMatching(
          /^products\.job\.businessUnitId is required when product orders are synced/,
        ),
      },
      {
        path: 'services.tags.subscriptionTagTypeId',
        message: expect.stringMatching(
          /^services\.tags\.subscriptionTagTypeId is required when service orders are synced/,
        ),
      },
    ]);
  });

  it('allows no technician', () => {
    expect(
      issuesOf({ ...contractSettings, products: { ...contractSettings.products, technicianId: null } }),
    ).toEqual([]);
  });

  it.each([0, -3, 2.5, '12'])('rejects %j as an id', (bad) => {
    expect(issuesOf({ ...contractSettings, paymentTypeId: bad }).map((issue) => issue.path)).toEqual([
      'paymentTypeId',
    ]);
  });

  it('rejects an item type other than Material or Equipment', () => {
    const input = {
      ...contractSettings,
      products: { ...contractSettings.products, invoiceItemType: 'Service' },
    };
    expect(issuesOf(input)).toEqual([
      { path: 'products.invoiceItemType', message: 'must be "Material" or "Equipment"' },
    ]);
  });

  it('rejects negative lead or grace days', () => {
    const input = { ...contractSettings, subscriptions: { leadDays: -1, renewalGraceDays: 3 } };
    expect(issuesOf(input).map((issue) => issue.path)).toEqual(['subscriptions.leadDays']);
  });
});

describe('settingsForKind', () => {
  const settings = settingsSchema.parse(contractSettings);

  it('gives products their own item type, accounting, job, tags and technician', () => {
    expect(settingsForKind(settings, 'product')).toEqual({
      enabled: true,
      includeArrivalWindows: false,
      itemType: 'Equipment',
      accounting: contractSettings.products.accounting,
      job: { campaignId: 3, businessUnitId: 1, jobTypeId: 7 },
      tags: { oneTimeTagTypeId: 21, subscriptionTagTypeId: 22 },
      technicianId: 31,
    });
  });

  it('gives services the Service item type and the products revenue account only', () => {
    expect(settingsForKind(settings, 'service')).toEqual({
      enabled: true,
      includeArrivalWindows: true,
      itemType: 'Service',
      accounting: {
        existingSkuId: null,
        account: 'Revenue',
        costOfSaleAccount: null,
        assetAccount: null,
        intacctGlGroupName: null,
      },
      job: { campaignId: 3, businessUnitId: 2, jobTypeId: 8 },
      tags: { oneTimeTagTypeId: 23, subscriptionTagTypeId: 24 },
      technicianId: 32,
    });
  });

  it('reports a disabled kind as disabled, with whatever ids it has', () => {
    const off = settingsSchema.parse({ ...contractSettings, services: { enabled: false } });
    expect(settingsForKind(off, 'service')).toMatchObject({ enabled: false, job: { businessUnitId: null } });
    expect(enabledSettingsForKind(off, 'service')).toBeNull();
    expect(enabledSettingsForKind(off, 'product')?.job.businessUnitId).toBe(1);
  });
});

const id = fc.integer({ min: 1, max: 1_000_000 });
const maybeId = fc.option(id, { nil: null });
const kindSettings = fc.record({
  enabled: fc.boolean(),
  includeArrivalWindows: fc.boolean(),
  job: fc.record({ campaignId: maybeId, businessUnitId: maybeId, jobTypeId: maybeId }),
  tags: fc.record({ oneTimeTagTypeId: maybeId, subscriptionTagTypeId: maybeId }),
  technicianId: maybeId,
});
const anySettings = fc.record({ paymentTypeId: id, products: kindSettings, services: kindSettings });

describe('settings properties', () => {
  it('accepts a kind exactly when it is disabled or has every job and tag id', () => {
    fc.assert(
      fc.property(anySettings, (input) => {
        const complete = (k: typeof input.products) =>
          !k.enabled || [...Object.values(k.job), ...Object.values(k.tags)].every((value) => value !== null);
        expect(settingsSchema.safeParse(input).success).toBe(
          complete(input.products) && complete(input.services),
        );
      }),
    );
  });

  it("settingsForKind keeps each kind's own switches and ids", () => {
    fc.assert(
      fc.property(anySettings, (input) => {
        const parsed = settingsSchema.safeParse(input);
        fc.pre(parsed.success);
        if (!parsed.success) return;
        for (const [kind, section] of [
          ['product', 'products'],
          ['service', 'services'],
        ] as const) {
          const view = settingsForKind(parsed.data, kind);
          expect(view).toMatchObject({
            enabled: input[section].enabled,
            includeArrivalWindows: input[section].includeArrivalWindows,
            job: input[section].job,
            tags: input[section].tags,
            technicianId: input[section].technicianId,
          });
        }
      }),
    );
  });
});
