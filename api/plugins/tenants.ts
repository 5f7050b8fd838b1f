import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import type { SecretBox } from '../../db/secret-box.js';
import { loadTenant, saveTenant, type TenantInput } from '../../db/tenants.js';
import type { FieldProblem } from '../../domain/events.js';
import { serviceTitanConfigSchema } from '../../servicetitan/config.js';
import { HttpProblem, problemResponses } from '../problem.js';
import { tenantParamsSchema } from '../route-params.js';
import type { OptionsCache, ServiceTitanClientFor } from '../servicetitan-options.js';
import { checkConnection, tenantView, tenantViewSchema } from '../tenant-view.js';
import { generateWebhookSecret, webhookSecretSchema } from '../webhook-signature.js';

export interface TenantsPluginOptions {
  db: Database;
  secrets: SecretBox;
  serviceTitanClientFor: ServiceTitanClientFor;
  optionsCache: OptionsCache;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const tenantBodySchema = z
  .object({
    name: z.string().trim().min(1, { error: 'name must not be empty' }),
    timeZone: z.string().refine(isTimeZone, {
      error: 'timeZone must be an IANA time zone such as "America/Chicago" (used for appointment dates)',
    }),
    webhookSecret: webhookSecretSchema
      .optional()
      .describe('The store’s signing secret; omitted on create: one is generated and answered once'),
    webhookSecrets: z
      .array(webhookSecretSchema)
      .min(1, { error: 'webhookSecrets needs at least one secret' })
      .max(5, { error: 'at most 5 webhook secrets can be active at once' })
      .optional()
      .describe('Several active secrets while the store rotates its secret (new and old); replaces the list'),
    serviceTitan: z.object({
      environment: z.enum(['sandbox', 'integration', 'production'], {
        error: 'serviceTitan.environment must be "sandbox", "integration" or "production"',
      }),
      tenantId: z
        .union([z.int().positive(), z.string().regex(/^\d+$/)], {
          error: 'serviceTitan.tenantId must be the numeric ServiceTitan tenant id',
        })
        .describe('The numeric ServiceTitan tenant id'),
      clientId: z.string().trim().min(1, { error: 'serviceTitan.clientId must not be empty' }),
      clientSecret: z
        .string()
        .min(1)
        .optional()
        .describe('Required when the tenant is created; omit to keep the stored one'),
      appKey: z
        .string()
        .min(1)
        .optional()
        .describe('Required when the tenant is created; omit to keep the stored one'),
      baseUrl: z.url({ error: 'serviceTitan.baseUrl must be an http(s) URL' }).optional(),
      authUrl: z.url({ error: 'serviceTitan.authUrl must be an http(s) URL' }).optional(),
    }),
  })
  .refine((body) => body.webhookSecret === undefined || body.webhookSecrets === undefined, {
    error: 'send either webhookSecret or webhookSecrets, not both',
    path: ['webhookSecrets'],
  });

export const tenantsPlugin: FastifyPluginAsyncZod<TenantsPluginOptions> = async (app, options) => {
  const { db, secrets, serviceTitanClientFor, optionsCache } = options;

  app.put(
    '/tenants/:tenantId',
    {
      schema: {
        summary: 'Create or update a tenant (ServiceTitan connection and webhook secrets)',
        description:
          'Secrets are stored encrypted (AES-256-GCM) and never returned. Without a webhook secret on create, one is generated and returned once as generatedWebhookSecret. The answer includes a live connection check.',
        tags: ['configuration'],
        security: [{ bearerAuth: [] }],
        params: tenantParamsSchema,
        body: tenantBodySchema,
        response: { 200: tenantViewSchema, 201: tenantViewSchema, ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const body = request.body;
      const existing = await loadTenant(db, secrets, tenantId);

      const problems: FieldProblem[] = [];
      const clientSecret = body.serviceTitan.clientSecret ?? existing?.serviceTitan.clientSecret;
      const appKey = body.serviceTitan.appKey ?? existing?.serviceTitan.appKey;
      if (!clientSecret)
        problems.push({
          field: 'serviceTitan.clientSecret',
          message: 'is required when the tenant is created',
        });
      if (!appKey)
        problems.push({ field: 'serviceTitan.appKey', message: 'is required when the tenant is created' });
      const connection = {
        environment: body.serviceTitan.environment,
        tenantId: Number(body.serviceTitan.tenantId),
        clientId: body.serviceTitan.clientId,
        clientSecret: clientSecret ?? '',
        appKey: appKey ?? '',
        baseUrl: body.serviceTitan.baseUrl,
        authUrl: body.serviceTitan.authUrl,
      };
      const config = serviceTitanConfigSchema.safeParse(connection);
      if (!config.success) {
        for (const issue of config.error.issues) {
          const field = `serviceTitan.${issue.path.join('.')}`;
          if (!problems.some((p) => p.field === field)) problems.push({ field, message: issue.message });
        }
      }
      if (problems.length > 0) {
        throw new HttpProblem(400, 'The tenant is invalid: fix each field listed in "errors".', problems);
      }

      let generated: string | undefined;
      let webhookSecrets =
        body.webhookSecrets ?? (body.webhookSecret ? [body.webhookSecret] : existing?.webhookSecrets);
      if (!webhookSecrets || webhookSecrets.length === 0) {
        generated = generateWebhookSecret();
        webhookSecrets = [generated];
      }

      const input: TenantInput = {
        id: tenantId,
        name: body.name,
        timeZone: body.timeZone,
        serviceTitan: connection,
        webhookSecrets,
      };
      await saveTenant(db, secrets, input);
      optionsCache.invalidate(tenantId);
      request.log.info({ tenantId, created: !existing }, 'tenant saved');

      const saved = await loadTenant(db, secrets, tenantId);
      if (!saved) throw new Error(`tenant ${tenantId} vanished right after it was saved`);
      const status = await checkConnection(saved, serviceTitanClientFor);
      return reply.code(existing ? 200 : 201).send(tenantView(saved, status, generated));
    },
  );

  app.get(
    '/tenants/:tenantId',
    {
      schema: {
        summary: 'A tenant, secrets redacted, with its live ServiceTitan connection status',
        tags: ['configuration'],
        security: [{ bearerAuth: [] }],
        params: tenantParamsSchema,
        response: { 200: tenantViewSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const tenant = await loadTenant(db, secrets, tenantId);
      if (!tenant)
        throw new HttpProblem(
          404,
          `Tenant "${tenantId}" does not exist; create it with PUT /api/tenants/${tenantId}.`,
        );
      return tenantView(tenant, await checkConnection(tenant, serviceTitanClientFor));
    },
  );
};
