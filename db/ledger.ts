import { and, eq } from 'drizzle-orm';
import type { Database } from './client.js';
import { syncLedger } from './schema.js';

export interface LedgerEntry {
  stEntityId: number;
  created: boolean;
  details: Record<string, unknown> | null;
}

export interface LedgerKey {
  tenantId: string;
  /** `order:{orderId}` or `subscription:{id}:cycle:{n}`. */
  scope: string;
  /** `customer`, `job:product`, `invoice-item:li_1`, … */
  step: string;
}

export const orderScope = (orderId: string) => `order:${orderId}`;

export async function findLedgerEntry(db: Database, key: LedgerKey): Promise<LedgerEntry | undefined> {
  const [row] = await db
    .select()
    .from(syncLedger)
    .where(
      and(
        eq(syncLedger.tenantId, key.tenantId),
        eq(syncLedger.scope, key.scope),
        eq(syncLedger.step, key.step),
      ),
    );
  return row
    ? { stEntityId: row.stEntityId, created: row.created, details: row.details as LedgerEntry['details'] }
    : undefined;
}

export async function listLedgerEntries(db: Database, tenantId: string, scope: string) {
  return db
    .select()
    .from(syncLedger)
    .where(and(eq(syncLedger.tenantId, tenantId), eq(syncLedger.scope, scope)));
}

/** Records what ServiceTitan returned right after the create, so a retry finds it. */
export async function recordLedgerEntry(db: Database, key: LedgerKey, entry: LedgerEntry): Promise<void> {
  await db
    .insert(syncLedger)
    .values({ ...key, stEntityId: entry.stEntityId, created: entry.created, details: entry.details })
    .onConflictDoUpdate({
      target: [syncLedger.tenantId, syncLedger.scope, syncLedger.step],
      set: { stEntityId: entry.stEntityId, created: entry.created, details: entry.details },
    });
}

export async function deleteLedgerEntry(db: Database, key: LedgerKey): Promise<void> {
  await db
    .delete(syncLedger)
    .where(
      and(
        eq(syncLedger.tenantId, key.tenantId),
        eq(syncLedger.scope, key.scope),
        eq(syncLedger.step, key.step),
      ),
    );
}
