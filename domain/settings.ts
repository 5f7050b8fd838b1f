import { z } from 'zod';
import type { LineKind } from './order.js';

const stId = z
  .int({ error: 'must be a ServiceTitan id (a whole number)' })
  .positive({ error: 'must be a ServiceTitan id (a positive number)' });
// Ids a disabled kind may leave unset; settingsSchema requires them once the kind is enabled.
const optionalStId = stId.nullable().default(null);
const accountName = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty; use null for none' })
  .nullable()
  .default(null);

const jobSchema = z.object({
  campaignId: optionalStId,
  businessUnitId: optionalStId,
  jobTypeId: optionalStId,
});
const tagsSchema = z.object({ oneTimeTagTypeId: optionalStId, subscriptionTagTypeId: optionalStId });

const accountingSchema = z.object({
  existingSkuId: optionalStId,
  account: accountName,
  costOfSaleAccount: accountName,
  assetAccount: accountName,
  intacctGlGroupName: accountName,
});

// Sync of each kind is off until turned on and arrival windows are opt-in, as in the store's dashboard;
// Equipment is the default item type because Material produces $0 invoices in ServiceTitan.
const kindBase = {
  enabled: z.boolean().default(false),
  includeArrivalWindows: z.boolean().default(false),
  job: jobSchema.prefault({}),
  tags: tagsSchema.prefault({}),
  technicianId: optionalStId,
};

const productSettingsSchema = z.object({
  ...kindBase,
  invoiceItemType: z
    .enum(['Material', 'Equipment'], { error: 'must be "Material" or "Equipment"' })
    .default('Equipment'),
  accounting: accountingSchema.prefault({}),
});

const serviceSettingsSchema = z.object(kindBase);

const SETTINGS_SECTION = { product: 'products', service: 'services' } as const satisfies Record<
  LineKind,
  string
>;

const REQUIRED_WHEN_ENABLED = [
  ['job', 'campaignId', 'the marketing campaign of their jobs'],
  ['job', 'businessUnitId', 'the business unit of their jobs'],
  ['job', 'jobTypeId', 'the job type of their jobs'],
  ['tags', 'oneTimeTagTypeId', 'the customer tag for one-time orders'],
  ['tags', 'subscriptionTagTypeId', 'the customer tag for subscription orders'],
] as const;

export const settingsSchema = z
  .object({
    paymentTypeId: stId,
    customers: z
      .object({ createCustomers: z.boolean().default(true), createLocations: z.boolean().default(true) })
      .prefault({}),
    products: productSettingsSchema.prefault({}),
    services: serviceSettingsSchema.prefault({}),
    subscriptions: z
      .object({
        leadDays: z.int().min(0, { error: 'must be 0 or more days' }).default(7),
        renewalGraceDays: z.int().min(0, { error: 'must be 0 or more days' }).default(3),
      })
      .prefault({}),
  })
  .superRefine((settings, ctx) => {
    for (const [kind, section] of Object.entries(SETTINGS_SECTION)) {
      const kindSettings = settings[section];
      if (!kindSettings.enabled) continue;
      for (const [group, field, what] of REQUIRED_WHEN_ENABLED) {
        const ids: Record<string, number | null> = kindSettings[group];
        if (ids[field] !== null) continue;
        ctx.addIssue({
          code: 'custom',
          path: [section, group, field],
          message: `${section}.${group}.${field} is required when ${kind} orders are synced (${what})`,
        });
      }
    }
  });

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type Accounting = z.infer<typeof accountingSchema>;

const kindViewBase = {
  includeArrivalWindows: z.boolean(),
  itemType: z.enum(['Material', 'Equipment', 'Service']),
  accounting: accountingSchema,
  technicianId: stId.nullable(),
};

export const enabledKindSettingsSchema = z.object({
  ...kindViewBase,
  enabled: z.literal(true),
  job: z.object({ campaignId: stId, businessUnitId: stId, jobTypeId: stId }),
  tags: z.object({ oneTimeTagTypeId: stId, subscriptionTagTypeId: stId }),
});

/** One kind's settings in the same shape for products and services; ids are complete when enabled. */
export const kindSettingsSchema = z.discriminatedUnion('enabled', [
  enabledKindSettingsSchema,
  z.object({ ...kindViewBase, enabled: z.literal(false), job: jobSchema, tags: tagsSchema }),
]);

export type KindSettings = z.infer<typeof kindSettingsSchema>;
export type EnabledKindSettings = z.infer<typeof enabledKindSettingsSchema>;

/**
 * The settings that apply to one kind of line. Services have no accounting block in the store's settings,
 * yet ServiceTitan pricebook services take a revenue account: they use the products' revenue account and
 * Intacct group, so all online-store revenue lands in the account the contractor chose, while the cost,
 * asset and existing-SKU choices, which only make sense for goods, stay empty.
 */
export function settingsForKind(settings: Settings, kind: LineKind): KindSettings {
  const { accounting } = settings.products;
  const view =
    kind === 'product'
      ? { ...settings.products, itemType: settings.products.invoiceItemType }
      : {
          ...settings.services,
          itemType: 'Service' as const,
          accounting: {
            existingSkuId: null,
            account: accounting.account,
            costOfSaleAccount: null,
            assetAccount: null,
            intacctGlGroupName: accounting.intacctGlGroupName,
          },
        };
  // Parsing narrows the ids to numbers for an enabled kind; settingsSchema has already checked them.
  return kindSettingsSchema.parse({
    enabled: view.enabled,
    includeArrivalWindows: view.includeArrivalWindows,
    itemType: view.itemType,
    accounting: view.accounting,
    job: view.job,
    tags: view.tags,
    technicianId: view.technicianId,
  });
}

/** The kind's settings when its orders are synced, null when that sync is switched off. */
export function enabledSettingsForKind(settings: Settings, kind: LineKind): EnabledKindSettings | null {
  const kindSettings = settingsForKind(settings, kind);
  return kindSettings.enabled ? kindSettings : null;
}
