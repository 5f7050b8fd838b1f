import type { FastifySchemaCompiler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import type { SecretBox } from '../../db/secret-box.js';
import { loadTenant, saveTenantSettings, type TenantRecord } from '../../db/tenants.js';
import { formatZodIssues } from '../../domain/events.js';
import { settingsSchema } from '../../domain/settings.js';
import {
  fieldProblemSchema,
  HttpProblem,
  problem,
  problemResponses,
  problemSchema,
  sendProblem,
} from '../problem.js';
import { tenantParamsSchema } from '../route-params.js';
import {
  fetchServiceTitanOptions,
  findSkuById,
  type OptionsCache,
  type ServiceTitanClientFor,
  searchSkus,
  serviceTitanOptionsSchema,
  skuOptionSchema,
} from '../servicetitan-options.js';
import { checkSettings } from '../settings-validation.js';

export interface SettingsPluginOptions {
  db: Database;
  secrets: SecretBox;
  serviceTitanClientFor: ServiceTitanClientFor;
  optionsCache: OptionsCache;
}

/** ServiceTitan lists can be slow; a settings page should fail with a message rather than hang. */
const ST_TIMEOUT_MS = 20_000;

// Shape errors and ServiceTitan errors are answered together as one 422, so the body is parsed in the
// handler; the schema still documents it.
const documentOnly: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });

const settingsProblemSchema = problemSchema.extend({ warnings: z.array(fieldProblemSchema).optional() });

export const settingsPlugin: FastifyPluginAsyncZod<SettingsPluginOptions> = async (app, options) => {
  const { db, secrets, serviceTitanClientFor, optionsCache } = options;

  async function requireTenant(tenantId: string): Promise<TenantRecord> {
    const tenant = await loadTenant(db, secrets, tenantId);
    if (!tenant) {
      throw new HttpProblem(
        404,
        `Tenant "${tenantId}" does not exist; create it with PUT /api/tenants/${tenantId}.`,
      );
    }
    return tenant;
  }

  const loadOptions = (tenant: TenantRecord, refresh: boolean) =>
    optionsCache.get(
      tenant.id,
      () => fetchServiceTitanOptions(serviceTitanClientFor(tenant), AbortSignal.timeout(ST_TIMEOUT_MS)),
      refresh,
    );

  app.get(
    '/tenants/:tenantId/servicetitan/options',
    {
      schema: {
        summary: 'Drop-down lists, live from the tenant’s ServiceTitan',
        description:
          'Business units, job types, campaigns, tag types, technicians, payment types, GL accounts and arrival windows, inactive entries included (marked). Cached for a short time per tenant; `refresh=true` fetches anew. `sku=text` also searches the pricebook.',
        tags: ['configuration'],
        security: [{ bearerAuth: [] }],
        params: tenantParamsSchema,
        querystring: z.object({
          refresh: z
            .enum(['true', 'false'], { error: 'refresh must be "true" or "false"' })
            .optional()
            .describe('true: bypass the cache'),
          sku: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .optional()
            .describe('Search pricebook items by code, name or description'),
        }),
        response: {
          200: serviceTitanOptionsSchema.extend({ skus: z.array(skuOptionSchema).optional() }),
          ...problemResponses(400, 401, 404, 502),
        },
      },
    },
    async (request) => {
      const tenant = await requireTenant(request.params.tenantId);
      const { refresh, sku } = request.query;
      const [lists, skus] = await Promise.all([
        loadOptions(tenant, refresh === 'true'),
        sku ? searchSkus(serviceTitanClientFor(tenant), sku, AbortSignal.timeout(ST_TIMEOUT_MS)) : undefined,
      ]);
      return skus ? { ...lists, skus } : lists;
    },
  );

  app.get(
    '/tenants/:tenantId/settings',
    {
      schema: {
        summary: 'The tenant’s sync settings (null until saved)',
        tags: ['configuration'],
        security: [{ bearerAuth: [] }],
        params: tenantParamsSchema,
        response: {
          200: z.object({
            settings: settingsSchema.nullable(),
            problems: z
              .array(fieldProblemSchema)
              .optional()
              .describe('Present when the stored settings no longer pass validation; save them again'),
          }),
          ...problemResponses(401, 404),
        },
      },
    },
    async (request) => {
      const tenant = await requireTenant(request.params.tenantId);
      if (tenant.settings == null) return { settings: null };
      const parsed = settingsSchema.safeParse(tenant.settings);
      return parsed.success
        ? { settings: parsed.data }
        : { settings: null, problems: formatZodIssues(parsed.error) };
    },
  );

  app.put(
    '/tenants/:tenantId/settings',
    {
      validatorCompiler: documentOnly,
      schema: {
        summary: 'Validate the settings against the tenant’s live ServiceTitan and save them',
        description:
          'Every id must exist and be active in ServiceTitan; arrival windows need an active window for the business unit. Likely mistakes are saved with warnings: a payment type that is not the store’s Cash type, invoice item type Material (the $0-invoice trap), a job type not offered for the business unit. 422 lists every error (and the warnings) and saves nothing.',
        tags: ['configuration'],
        security: [{ bearerAuth: [] }],
        params: tenantParamsSchema,
        body: settingsSchema,
        response: {
          200: z.object({ settings: settingsSchema, warnings: z.array(fieldProblemSchema) }),
          422: settingsProblemSchema,
          ...problemResponses(401, 404, 502),
        },
      },
    },
    async (request, reply) => {
      const tenant = await requireTenant(request.params.tenantId);
      const parsed = settingsSchema.safeParse(request.body);
      if (!parsed.success) {
        const errors = formatZodIssues(parsed.error);
        return sendProblem(
          reply,
          problem(
            422,
            `The settings were not saved: ${count(errors.length, 'problem')} to fix, listed in "errors".`,
            errors,
          ),
        );
      }
      const settings = parsed.data;
      const st = serviceTitanClientFor(tenant);
      const skuId = settings.products.enabled ? settings.products.accounting.existingSkuId : null;
      // Live data, not the cache: a business unit deactivated a minute ago must be caught now.
      const [lists, existingSku] = await Promise.all([
        loadOptions(tenant, true),
        skuId === null
          ? undefined
          : findSkuById(st, skuId, AbortSignal.timeout(ST_TIMEOUT_MS)).then((s) => s ?? null),
      ]);
      const { errors, warnings } = checkSettings(settings, lists, existingSku);
      if (errors.length > 0) {
        return sendProblem(reply, {
          ...problem(
            422,
            `The settings were not saved: ${count(errors.length, 'problem')} to fix, listed in "errors".`,
            errors,
          ),
          warnings,
        });
      }
      await saveTenantSettings(db, tenant.id, settings);
      request.log.info({ tenantId: tenant.id, warnings: warnings.length }, 'settings saved');
      return reply.code(200).send({ settings, warnings });
    },
  );
};

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
