import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { orders } from './schema.js';

export type OrderRow = typeof orders.$inferSelect;

export interface ReceivedOrder {
  tenantId: string;
  orderId: string;
  orderNumber: string;
  kind: string;
  order: unknown;
  workflowId: string;
}

/** The first delivery of an order creates its row; later deliveries leave it as it is. */
export async function insertReceivedOrder(db: Database, received: ReceivedOrder): Promise<void> {
  await db.insert(orders).values(received).onConflictDoNothing();
}

export async function loadOrderRow(
  db: Database,
  tenantId: string,
  orderId: string,
): Promise<OrderRow | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.tenantId, tenantId), eq(orders.orderId, orderId)));
  return row;
}

export interface OrderStatusUpdate {
  status: string;
  lastError?: string | null;
  lastErrorType?: string | null;
}

export async function updateOrderStatus(
  db: Database,
  tenantId: string,
  orderId: string,
  update: OrderStatusUpdate,
) {
  await db
    .update(orders)
    .set({
      status: update.status,
      ...(update.lastError !== undefined ? { lastError: update.lastError } : {}),
      ...(update.lastErrorType !== undefined ? { lastErrorType: update.lastErrorType } : {}),
      ...(update.status === 'synced' ? { syncedAt: new Date() } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(orders.tenantId, tenantId), eq(orders.orderId, orderId)));
}

/** Merges one step's state into the read model without touching the other steps. */
export async function recordOrderStep(
  db: Database,
  tenantId: string,
  orderId: string,
  step: string,
  value: Record<string, unknown>,
  columns: { stCustomerId?: number; stLocationId?: number; stIds?: Record<string, unknown> } = {},
) {
  await db
    .update(orders)
    .set({
      steps: sql`${orders.steps} || ${JSON.stringify({ [step]: value })}::jsonb`,
      ...(columns.stCustomerId !== undefined ? { stCustomerId: columns.stCustomerId } : {}),
      ...(columns.stLocationId !== undefined ? { stLocationId: columns.stLocationId } : {}),
      ...(columns.stIds ? { stIds: sql`${orders.stIds} || ${JSON.stringify(columns.stIds)}::jsonb` } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(orders.tenantId, tenantId), eq(orders.orderId, orderId)));
}

/** The order that started a subscription: the earliest received order carrying its id. */
export async function findSubscriptionFirstOrder(
  db: Database,
  tenantId: string,
  subscriptionId: string,
): Promise<OrderRow | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, tenantId),
        sql`${orders.order}->'subscription'->>'id' = ${subscriptionId}`,
        sql`coalesce(${orders.order}->>'cycleOf', '') = ''`,
      ),
    )
    .orderBy(orders.createdAt)
    .limit(1);
  return row;
}

/** Replaces the stored order document (a subscription cycle's order learns its renewal charge). */
export async function replaceOrderDocument(db: Database, tenantId: string, orderId: string, order: unknown) {
  await db
    .update(orders)
    .set({ order, updatedAt: new Date() })
    .where(and(eq(orders.tenantId, tenantId), eq(orders.orderId, orderId)));
}
