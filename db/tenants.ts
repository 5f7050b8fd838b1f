import { eq } from 'drizzle-orm';
import type { Database } from './client.js';
import { tenants } from './schema.js';
import type { SecretBox } from './secret-box.js';

export interface ServiceTitanConnection {
  environment: 'sandbox' | 'integration' | 'production';
  tenantId: number;
  clientId: string;
  clientSecret: string;
  appKey: string;
  baseUrl?: string | undefined;
  authUrl?: string | undefined;
}

export interface TenantRecord {
  id: string;
  name: string;
  timeZone: string;
  serviceTitan: ServiceTitanConnection;
  webhookSecrets: string[];
  /** Raw JSON as saved; parse with domain/settings before use. Null until configured. */
  settings: unknown;
  updatedAt: Date;
}

export interface TenantInput {
  id: string;
  name: string;
  timeZone: string;
  serviceTitan: ServiceTitanConnection;
  webhookSecrets: string[];
}

/** Loads a tenant with its secrets decrypted; callers must never log or return them. */
export async function loadTenant(
  db: Database,
  box: SecretBox,
  id: string,
): Promise<TenantRecord | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    serviceTitan: {
      environment: row.stEnvironment as ServiceTitanConnection['environment'],
      tenantId: row.stTenantId,
      clientId: row.stClientId,
      clientSecret: box.open(row.stClientSecretEncrypted),
      appKey: box.open(row.stAppKeyEncrypted),
      baseUrl: row.stBaseUrl ?? undefined,
      authUrl: row.stAuthUrl ?? undefined,
    },
    webhookSecrets: JSON.parse(box.open(row.webhookSecretsEncrypted)) as string[],
    settings: row.settings,
    updatedAt: row.updatedAt,
  };
}

export async function saveTenant(db: Database, box: SecretBox, input: TenantInput): Promise<void> {
  const values = {
    id: input.id,
    name: input.name,
    timeZone: input.timeZone,
    stEnvironment: input.serviceTitan.environment,
    stTenantId: input.serviceTitan.tenantId,
    stClientId: input.serviceTitan.clientId,
    stClientSecretEncrypted: box.seal(input.serviceTitan.clientSecret),
    stAppKeyEncrypted: box.seal(input.serviceTitan.appKey),
    stBaseUrl: input.serviceTitan.baseUrl ?? null,
    stAuthUrl: input.serviceTitan.authUrl ?? null,
    webhookSecretsEncrypted: box.seal(JSON.stringify(input.webhookSecrets)),
    updatedAt: new Date(),
  };
  await db.insert(tenants).values(values).onConflictDoUpdate({ target: tenants.id, set: values });
}

export async function saveTenantSettings(db: Database, id: string, settings: unknown): Promise<void> {
  await db.update(tenants).set({ settings, updatedAt: new Date() }).where(eq(tenants.id, id));
}
