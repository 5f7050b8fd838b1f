/**
 * The `demo` tenant npm start seeds: connected to the ServiceTitan sandbox, with settings chosen
 * from the sandbox's own live drop-down lists and saved through the API's own routes, so seeding
 * takes the path a contractor's onboarding takes (and fails where it would fail).
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { ServiceTitanOptions } from '../api/servicetitan-options.js';
import { STORE_PAYMENT_TYPE_NAME } from '../api/settings-validation.js';
import { generateWebhookSecret } from '../api/webhook-signature.js';
import type { Database } from '../db/client.js';
import type { SecretBox } from '../db/secret-box.js';
import { loadTenant } from '../db/tenants.js';
import type { SettingsInput } from '../domain/settings.js';
import { SANDBOX_TENANT } from '../servicetitan/sandbox/seed.js';

export const DEMO_TENANT_ID = 'demo';
const DEMO_TENANT_NAME = 'Demo Heating & Air';
const DEMO_TIME_ZONE = 'America/Chicago';

interface Named {
  id: number;
  name: string;
  active: boolean;
}

class DemoSettingsError extends Error {}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new DemoSettingsError(
      `the sandbox offers no active ${what} (reset it with POST /_sandbox/reset, or configure the demo tenant by hand with PUT /api/tenants/demo/settings)`,
    );
  }
  return value;
}

const active = <T extends { active: boolean }>(items: readonly T[]) => items.filter((item) => item.active);
const named = <T extends Named>(items: readonly T[], ...patterns: RegExp[]) =>
  active(items).find((item) => patterns.every((pattern) => pattern.test(item.name)));

/** Job types people pick for each kind; the first active one offered for an active business unit otherwise. */
const JOB_TYPE_HINTS = { products: /deliver|ship/i, services: /maint|visit|tune|service/i } as const;

function chooseJob(options: ServiceTitanOptions, kind: keyof typeof JOB_TYPE_HINTS) {
  const jobTypes = active(options.jobTypes);
  const businessUnits = active(options.businessUnits);
  const offered = (unit: Named) => jobTypes.filter((type) => type.businessUnitIds.includes(unit.id));
  const unit =
    businessUnits.find((candidate) =>
      offered(candidate).some((type) => JOB_TYPE_HINTS[kind].test(type.name)),
    ) ?? businessUnits.find((candidate) => offered(candidate).length > 0);
  const businessUnit = need(unit, `business unit with an active job type (for ${kind})`);
  const types = offered(businessUnit);
  const jobType = need(
    types.find((type) => JOB_TYPE_HINTS[kind].test(type.name)) ?? types[0],
    `job type for ${kind}`,
  );
  const technician = active(options.technicians).find((tech) => tech.businessUnitId === businessUnit.id);
  const hasArrivalWindow = active(options.arrivalWindows).some(
    (window) => window.businessUnitIds.length === 0 || window.businessUnitIds.includes(businessUnit.id),
  );
  return { businessUnit, jobType, technicianId: technician?.id ?? null, hasArrivalWindow };
}

/**
 * Working settings from a tenant's live ServiceTitan lists, the way the seed article tells a
 * contractor to fill in the form: the store's campaign and Cash payment type (both named
 * "Contractor Commerce"), the CC tag types, products and services on, arrival windows on where
 * the business unit has any, products invoiced as Equipment with the usual GL accounts.
 */
export function chooseDemoSettings(options: ServiceTitanOptions): SettingsInput {
  const store = new RegExp(`^${STORE_PAYMENT_TYPE_NAME}$`, 'i');
  const paymentType = need(
    named(options.paymentTypes, store) ?? active(options.paymentTypes).find((type) => type.cash === true),
    `payment type named "${STORE_PAYMENT_TYPE_NAME}" (Cash)`,
  );
  const campaign = need(named(options.campaigns, store) ?? active(options.campaigns)[0], 'campaign');
  const tag = (...patterns: RegExp[]) =>
    need(named(options.tagTypes, ...patterns), `tag type like ${patterns.join(' ')}`).id;
  const glAccounts = options.glAccounts.filter((account) => !account.isIntacctGroup);
  const account = (...patterns: RegExp[]) => named(glAccounts, ...patterns)?.name ?? null;
  const products = chooseJob(options, 'products');
  const services = chooseJob(options, 'services');
  return {
    paymentTypeId: paymentType.id,
    customers: { createCustomers: true, createLocations: true },
    products: {
      enabled: true,
      includeArrivalWindows: products.hasArrivalWindow,
      invoiceItemType: 'Equipment',
      accounting: {
        existingSkuId: null,
        account: account(/^revenue$/i) ?? account(/revenue/i),
        costOfSaleAccount: account(/cost of goods/i),
        assetAccount: account(/inventory/i),
        intacctGlGroupName: null,
      },
      job: {
        campaignId: campaign.id,
        businessUnitId: products.businessUnit.id,
        jobTypeId: products.jobType.id,
      },
      tags: {
        oneTimeTagTypeId: tag(/one.?time/i, /product/i),
        subscriptionTagTypeId: tag(/subscription/i, /product/i),
      },
      technicianId: products.technicianId,
    },
    services: {
      enabled: true,
      includeArrivalWindows: services.hasArrivalWindow,
      job: {
        campaignId: campaign.id,
        businessUnitId: services.businessUnit.id,
        jobTypeId: services.jobType.id,
      },
      tags: {
        oneTimeTagTypeId: tag(/one.?time/i, /service/i),
        subscriptionTagTypeId: tag(/subscription/i, /service/i),
      },
      technicianId: services.technicianId,
    },
    subscriptions: { leadDays: 7, renewalGraceDays: 3 },
  };
}

export interface SeedDemoTenantOptions {
  /** The API (not listening is fine: requests go through `inject`). */
  app: FastifyInstance;
  apiToken: string;
  sandboxUrl: string;
  db: Database;
  secrets: SecretBox;
  /** A secret to reuse when the tenant is created (the one kept in DATA_DIR from an earlier database). */
  preferredWebhookSecret?: string | undefined;
}

export interface DemoTenant {
  tenantId: string;
  webhookSecret: string;
  created: boolean;
  settingsSaved: boolean;
  warnings: string[];
}

/**
 * Creates the demo tenant, or points it at the sandbox's current URL, and saves settings when it
 * has none (an operator's later changes are kept). Idempotent: every start runs it.
 */
export async function seedDemoTenant(options: SeedDemoTenantOptions): Promise<DemoTenant> {
  const { app, db, secrets } = options;
  const call = async (request: InjectOptions, what: string) => {
    const response = await app.inject({
      ...request,
      headers: { ...request.headers, authorization: `Bearer ${options.apiToken}` },
    });
    if (response.statusCode >= 300) {
      throw new Error(
        `${what}: ${request.method} ${request.url} answered ${response.statusCode} ${response.body}`,
      );
    }
    return response.json() as Record<string, unknown>;
  };
  const path = `/api/tenants/${DEMO_TENANT_ID}`;

  const existing = await loadTenant(db, secrets, DEMO_TENANT_ID);
  const created = !existing;
  if (!existing || existing.serviceTitan.baseUrl !== options.sandboxUrl) {
    await call(
      {
        method: 'PUT',
        url: path,
        payload: {
          name: existing?.name ?? DEMO_TENANT_NAME,
          timeZone: existing?.timeZone ?? DEMO_TIME_ZONE,
          ...(existing ? {} : { webhookSecret: options.preferredWebhookSecret ?? generateWebhookSecret() }),
          serviceTitan: {
            environment: 'sandbox',
            tenantId: SANDBOX_TENANT.tenantId,
            clientId: SANDBOX_TENANT.clientId,
            clientSecret: SANDBOX_TENANT.clientSecret,
            appKey: SANDBOX_TENANT.appKey,
            baseUrl: options.sandboxUrl,
          },
        },
      },
      'Saving the demo tenant failed',
    );
  }
  const tenant = await loadTenant(db, secrets, DEMO_TENANT_ID);
  const webhookSecret = tenant?.webhookSecrets[0];
  if (!webhookSecret) throw new Error('The demo tenant has no webhook secret after it was saved.');

  const current = await call({ method: 'GET', url: `${path}/settings` }, 'Reading the demo settings failed');
  if (current.settings != null)
    return { tenantId: DEMO_TENANT_ID, webhookSecret, created, settingsSaved: false, warnings: [] };

  const lists = (await call(
    { method: 'GET', url: `${path}/servicetitan/options?refresh=true` },
    'Reading the sandbox options failed',
  )) as unknown as ServiceTitanOptions;
  let settings: SettingsInput;
  try {
    settings = chooseDemoSettings(lists);
  } catch (error) {
    if (error instanceof DemoSettingsError)
      throw new Error(`Choosing the demo settings failed: ${error.message}`);
    throw error;
  }
  const saved = await call(
    { method: 'PUT', url: `${path}/settings`, payload: settings },
    'Saving the demo settings failed',
  );
  const warnings = ((saved.warnings ?? []) as Array<{ field: string; message: string }>).map(
    (warning) => `${warning.field}: ${warning.message}`,
  );
  return { tenantId: DEMO_TENANT_ID, webhookSecret, created, settingsSaved: true, warnings };
}
