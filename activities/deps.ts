import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { loadOrderRow } from '../db/orders.js';
import type { SecretBox } from '../db/secret-box.js';
import { loadTenant, type TenantRecord } from '../db/tenants.js';
import { type Order, orderSchema } from '../domain/order.js';
import { type Settings, settingsSchema } from '../domain/settings.js';
import { SyncErrorType } from '../domain/sync-errors.js';
import { createServiceTitanClient, type ServiceTitanClient } from '../servicetitan/client.js';
import { permanentFailure } from './failures.js';

/** What activities are built from: injected, so tests and production wire the same code. */
export interface ActivityDeps {
  db: Database;
  secrets: SecretBox;
  logger?: Logger;
}

export interface TenantContext {
  tenant: TenantRecord;
  serviceTitan: ServiceTitanClient;
}

/**
 * The tenant with a ServiceTitan client for it. Clients are cheap (token cache, limiter and pool are
 * process-wide), so one is built per call; the tenant row is re-read so a credentials fix applies
 * to the very next attempt.
 */
export async function tenantContext(deps: ActivityDeps, tenantId: string): Promise<TenantContext> {
  const tenant = await loadTenantOrFail(deps, tenantId);
  return { tenant, serviceTitan: createServiceTitanClient({ ...tenant.serviceTitan }) };
}

export async function loadTenantOrFail(deps: ActivityDeps, tenantId: string): Promise<TenantRecord> {
  const tenant = await loadTenant(deps.db, deps.secrets, tenantId);
  if (!tenant) {
    throw permanentFailure(
      SyncErrorType.TenantNotFound,
      `Tenant "${tenantId}" is not configured; create it with PUT /api/tenants/${tenantId}.`,
    );
  }
  return tenant;
}

export function tenantSettings(tenant: TenantRecord): Settings {
  if (tenant.settings == null) {
    throw permanentFailure(
      SyncErrorType.SettingsMissing,
      `Tenant "${tenant.id}" has no sync settings yet; save them with PUT /api/tenants/${tenant.id}/settings.`,
    );
  }
  const parsed = settingsSchema.safeParse(tenant.settings);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw permanentFailure(
      SyncErrorType.SettingsInvalid,
      `Tenant "${tenant.id}" settings are invalid: ${problems}.`,
    );
  }
  return parsed.data;
}

/** The stored order, parsed: activities load it instead of carrying it through workflow history. */
export async function loadOrder(deps: ActivityDeps, tenantId: string, orderId: string): Promise<Order> {
  return (await loadStoredOrder(deps, tenantId, orderId)).order;
}

/** The order with the subscription cycle it belongs to (cycle orders carry `cycleOf`; others do not). */
export async function loadStoredOrder(
  deps: ActivityDeps,
  tenantId: string,
  orderId: string,
): Promise<{ order: Order; cycle: number | null }> {
  const row = await loadOrderRow(deps.db, tenantId, orderId);
  if (!row) {
    throw permanentFailure(
      SyncErrorType.OrderNotFound,
      `Order ${orderId} of tenant ${tenantId} was never received.`,
    );
  }
  const cycle = (row.order as { cycleOf?: { cycle?: unknown } }).cycleOf?.cycle;
  return { order: orderSchema.parse(row.order), cycle: typeof cycle === 'number' ? cycle : null };
}
