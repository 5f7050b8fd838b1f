import { z } from 'zod';
import type { TenantRecord } from '../db/tenants.js';
import { isServiceTitanError } from '../servicetitan/errors.js';
import type { ServiceTitanClientFor } from './servicetitan-options.js';

/** What the API shows of a secret: only that it is set. */
export const REDACTED = '[redacted]';

export const connectionStatusSchema = z.object({
  ok: z.boolean(),
  checkedAt: z.string(),
  message: z.string(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

export const tenantViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    serviceTitan: z.object({
      environment: z.enum(['sandbox', 'integration', 'production']),
      tenantId: z.int(),
      clientId: z.string(),
      clientSecret: z.literal(REDACTED),
      appKey: z.literal(REDACTED),
      baseUrl: z.string().nullable(),
      authUrl: z.string().nullable(),
    }),
    webhookSecrets: z
      .object({ count: z.int() })
      .describe('How many webhook secrets are active (never the secrets)'),
    generatedWebhookSecret: z
      .string()
      .optional()
      .describe('Only in the answer that generated it: configure it in the store now, it is not shown again'),
    settingsConfigured: z.boolean(),
    connection: connectionStatusSchema,
    updatedAt: z.string(),
  })
  .meta({ id: 'Tenant' });
export type TenantView = z.infer<typeof tenantViewSchema>;

export function tenantView(
  tenant: TenantRecord,
  connection: ConnectionStatus,
  generatedWebhookSecret?: string,
): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    timeZone: tenant.timeZone,
    serviceTitan: {
      environment: tenant.serviceTitan.environment,
      tenantId: tenant.serviceTitan.tenantId,
      clientId: tenant.serviceTitan.clientId,
      clientSecret: REDACTED,
      appKey: REDACTED,
      baseUrl: tenant.serviceTitan.baseUrl ?? null,
      authUrl: tenant.serviceTitan.authUrl ?? null,
    },
    webhookSecrets: { count: tenant.webhookSecrets.length },
    ...(generatedWebhookSecret ? { generatedWebhookSecret } : {}),
    settingsConfigured: tenant.settings != null,
    connection,
    updatedAt: tenant.updatedAt.toISOString(),
  };
}

/** Proves the credentials work by a token request and one read; says what to fix when they do not. */
export async function checkConnection(
  tenant: TenantRecord,
  clientFor: ServiceTitanClientFor,
  timeoutMs = 10_000,
): Promise<ConnectionStatus> {
  const checkedAt = new Date().toISOString();
  try {
    const st = clientFor(tenant);
    await st.checkConnection({ signal: AbortSignal.timeout(timeoutMs) });
    return { ok: true, checkedAt, message: 'Connected to ServiceTitan.' };
  } catch (error) {
    const message = isServiceTitanError(error)
      ? error.plainMessage
      : `The ServiceTitan connection settings are not usable: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, checkedAt, message };
  }
}
