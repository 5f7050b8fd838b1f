import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { webhookInbox } from '../db/schema.js';

export interface InboxEvent {
  eventId: string;
  tenantId: string;
  type: string;
  payload: unknown;
  /** Deterministic, known at receipt: the order's or the subscription's workflow id. */
  workflowId: string;
}

export type StoreResult = { stored: true } | { stored: false; workflowId: string | null };

/**
 * Stores a verified event once. A redelivery of the same event id leaves the first row untouched
 * and reports the workflow id it was stored with.
 */
export async function storeInboxEvent(db: Database, event: InboxEvent): Promise<StoreResult> {
  const inserted = await db
    .insert(webhookInbox)
    .values(event)
    .onConflictDoNothing({ target: webhookInbox.eventId })
    .returning({ id: webhookInbox.id });
  if (inserted.length > 0) return { stored: true };
  const [existing] = await db
    .select({ workflowId: webhookInbox.workflowId })
    .from(webhookInbox)
    .where(eq(webhookInbox.eventId, event.eventId));
  return { stored: false, workflowId: existing?.workflowId ?? null };
}
