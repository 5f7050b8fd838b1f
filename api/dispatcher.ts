import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { insertReceivedOrder, recordOrderStep } from '../db/orders.js';
import { orders, tenants, webhookInbox } from '../db/schema.js';
import {
  formatZodIssues,
  type OrderPaidEvent,
  type WebhookEvent,
  webhookEventSchema,
} from '../domain/events.js';
import { type Order, orderKind, orderKinds } from '../domain/order.js';
import { enabledSettingsForKind, settingsSchema } from '../domain/settings.js';
import { ORDER_SYNC_WORKFLOW, orderSyncWorkflowId } from '../workflows/definitions.js';
import { SubscriptionIdKey, TenantIdKey } from '../workflows/search-attributes.js';
import { SUBSCRIPTION_WORKFLOW, subscriptionWorkflowId } from '../workflows/subscription-definitions.js';
import { SUBSCRIPTION_EVENT_SIGNALS } from './event-workflows.js';
import type { ApiMetrics } from './metrics.js';
import { orderSyncStartOptions } from './order-workflow.js';
import { isTemporalUnavailable, withDeadline } from './temporal-calls.js';

export interface DispatcherLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DispatcherOptions {
  /** Its pool needs at least 2 connections: a batch's transaction holds one while dispatch writes with another. */
  db: Database;
  client: Client;
  taskQueue: string;
  logger: DispatcherLogger;
  /** How often to look for due events when nobody kicks (new events kick; retries are found by polling). */
  pollIntervalMs?: number;
  batchSize?: number;
  /** First retry delay after a failed dispatch; doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Deadline of each Temporal call, so a dead server costs seconds, not minutes. */
  rpcTimeoutMs?: number;
  /** Temporal calls in flight at once within a batch. */
  concurrency?: number;
  metrics?: ApiMetrics;
}

export interface Dispatcher {
  /** Finishes the batch in flight, then stops; rows not yet dispatched stay pending for the next start. */
  stop(): Promise<void>;
  /** Looks for work now (called after each inbox insert). */
  kick(): void;
}

type InboxRow = typeof webhookInbox.$inferSelect;

type Outcome =
  | { kind: 'dispatched' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'retry'; error: string; unavailable: boolean };

/**
 * Turns pending inbox rows into workflow starts (orders) and signals (subscriptions).
 *
 * Rows are claimed with `FOR UPDATE SKIP LOCKED` inside a transaction, so several API processes can
 * run a dispatcher each without dispatching a row twice at the same moment; and only the oldest
 * pending row of a workflow is eligible, so a subscription's signals arrive in the order the store
 * sent them. Starts are idempotent (deterministic id, `USE_EXISTING`), so a crash between a start and
 * the row's update only repeats a no-op. While Temporal is down the rows stay pending with growing
 * backoff and the reason in `last_error`; nothing is dropped.
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const {
    db,
    client,
    taskQueue,
    logger,
    pollIntervalMs = 1000,
    batchSize = 50,
    retryBaseMs = 1000,
    retryMaxMs = 5 * 60_000,
    rpcTimeoutMs = 10_000,
    concurrency = 8,
    metrics,
  } = options;

  let stopped = false;
  let kicked = false;
  let wake: (() => void) | null = null;

  const backoffMs = (attempts: number) => {
    const exponential = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempts - 1, 30));
    // ±20 % jitter so a fleet of dispatchers does not retry in lockstep after an outage.
    return Math.round(exponential * (0.8 + Math.random() * 0.4));
  };

  async function skipReason(tenantId: string, order: Order): Promise<string | null> {
    const [tenant] = await db
      .select({ settings: tenants.settings })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    // Missing or invalid settings still start the workflow: it parks with a message that says what to
    // fix, and the order is synced as soon as an operator retries after saving settings.
    if (!tenant || tenant.settings == null) return null;
    const parsed = settingsSchema.safeParse(tenant.settings);
    if (!parsed.success) return null;
    const kinds = orderKinds(order);
    if (kinds.some((kind) => enabledSettingsForKind(parsed.data, kind) !== null)) return null;
    return `Not synced: ${kinds.join(' and ')} orders are switched off in the tenant's settings. Turn the sync on and retry the order to sync it.`;
  }

  async function dispatchOrder(event: OrderPaidEvent): Promise<Outcome> {
    const order = event.data;
    const workflowId = orderSyncWorkflowId(event.tenantId, order.id);
    // The read-model row must be committed before the workflow's first activity looks for it, so it is
    // written outside the claiming transaction (it is idempotent: later deliveries leave it alone).
    await insertReceivedOrder(db, {
      tenantId: event.tenantId,
      orderId: order.id,
      orderNumber: order.number,
      kind: orderKind(order),
      order,
      workflowId,
    });
    const reason = await skipReason(event.tenantId, order);
    if (reason) {
      await db
        .update(orders)
        .set({ status: 'skipped', updatedAt: new Date() })
        .where(
          and(
            eq(orders.tenantId, event.tenantId),
            eq(orders.orderId, order.id),
            eq(orders.status, 'received'),
          ),
        );
      await recordOrderStep(db, event.tenantId, order.id, 'settings', { state: 'skipped', detail: reason });
      return { kind: 'skipped', reason };
    }
    try {
      await withDeadline(client, rpcTimeoutMs, () =>
        client.workflow.start(ORDER_SYNC_WORKFLOW, {
          ...orderSyncStartOptions(event.tenantId, order, taskQueue),
          // A closed run means this order was already handled; a new delivery must not run it again.
          // Operators re-run a failed or parked order with the retry route instead.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return { kind: 'dispatched' };
  }

  async function dispatchSubscriptionEvent(event: Exclude<WebhookEvent, OrderPaidEvent>): Promise<Outcome> {
    const { subscriptionId } = event.data;
    try {
      await withDeadline(client, rpcTimeoutMs, () =>
        client.workflow.signalWithStart(SUBSCRIPTION_WORKFLOW, {
          workflowId: subscriptionWorkflowId(event.tenantId, subscriptionId),
          taskQueue,
          args: [{ tenantId: event.tenantId, subscriptionId }],
          signal: SUBSCRIPTION_EVENT_SIGNALS[event.type],
          signalArgs: [event.data],
          typedSearchAttributes: [
            { key: TenantIdKey, value: event.tenantId },
            { key: SubscriptionIdKey, value: subscriptionId },
          ],
          // An ended subscription (canceled) is not brought back to life by a late event.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        return {
          kind: 'skipped',
          reason: `The workflow of subscription ${subscriptionId} has already ended (canceled or completed); the event was not applied.`,
        };
      }
      throw error;
    }
    return { kind: 'dispatched' };
  }

  async function dispatchRow(row: InboxRow): Promise<Outcome> {
    const parsed = webhookEventSchema.safeParse(row.payload);
    if (!parsed.success) {
      const problems = formatZodIssues(parsed.error)
        .map((p) => `${p.field}: ${p.message}`)
        .join('; ');
      return { kind: 'rejected', reason: `The stored event no longer parses: ${problems}` };
    }
    const event = parsed.data;
    try {
      return event.type === 'order.paid'
        ? await dispatchOrder(event)
        : await dispatchSubscriptionEvent(event);
    } catch (error) {
      const unavailable = isTemporalUnavailable(error);
      const message = error instanceof Error ? error.message : String(error);
      return {
        kind: 'retry',
        unavailable,
        error: unavailable ? `Temporal is unreachable (${message}); retrying with backoff.` : message,
      };
    }
  }

  async function runBatch(): Promise<number> {
    return db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(webhookInbox)
        .where(
          and(
            eq(webhookInbox.status, 'pending'),
            lte(webhookInbox.nextAttemptAt, sql`now()`),
            sql`not exists (select 1 from webhook_inbox earlier
                 where earlier.workflow_id = ${webhookInbox.workflowId}
                   and earlier.status = 'pending' and earlier.id < ${webhookInbox.id})`,
          ),
        )
        .orderBy(webhookInbox.id)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;

      const outcomes = new Map<number, Outcome>();
      let temporalDown = false;
      let next = 0;
      const worker = async () => {
        for (;;) {
          const row = rows[next++];
          if (!row) return;
          // Once Temporal is known to be down, the rest of the batch waits for the next attempt.
          const outcome: Outcome = temporalDown
            ? { kind: 'retry', unavailable: true, error: 'Temporal is unreachable; retrying with backoff.' }
            : await dispatchRow(row);
          if (outcome.kind === 'retry' && outcome.unavailable) temporalDown = true;
          outcomes.set(row.id, outcome);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));

      const now = new Date();
      for (const row of rows) {
        const outcome = outcomes.get(row.id);
        if (!outcome) continue;
        if (outcome.kind === 'retry') {
          const attempts = row.attempts + 1;
          await tx
            .update(webhookInbox)
            .set({
              attempts,
              lastError: outcome.error,
              nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
            })
            .where(eq(webhookInbox.id, row.id));
          metrics?.dispatchFailures.inc();
          logger.warn(
            { eventId: row.eventId, workflowId: row.workflowId, attempts, error: outcome.error },
            'dispatch failed; will retry',
          );
          continue;
        }
        await tx
          .update(webhookInbox)
          .set({
            status: outcome.kind,
            attempts: row.attempts + 1,
            lastError: outcome.kind === 'dispatched' ? null : outcome.reason,
            dispatchedAt: now,
          })
          .where(eq(webhookInbox.id, row.id));
        if (outcome.kind === 'dispatched') {
          metrics?.dispatchLatency.observe(
            { type: row.type },
            Math.max(0, now.getTime() - row.receivedAt.getTime()) / 1000,
          );
          logger.debug({ eventId: row.eventId, workflowId: row.workflowId }, 'dispatched');
        } else {
          logger.info(
            { eventId: row.eventId, workflowId: row.workflowId, reason: outcome.reason },
            `event ${outcome.kind}`,
          );
        }
      }
      return rows.length;
    });
  }

  const loop = (async () => {
    while (!stopped) {
      kicked = false;
      let claimed = 0;
      try {
        claimed = await runBatch();
      } catch (error) {
        // The database is down (or a bug): wait a poll interval; pending rows are still there.
        logger.error({ err: error }, 'dispatch batch failed');
      }
      if (stopped) break;
      if (claimed > 0 || kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    kick() {
      kicked = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
