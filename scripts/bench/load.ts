import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { Webhook } from 'standardwebhooks';
import type { BenchOrder } from './orders.js';
import { ProgressBar } from './progress.js';
import { sleep } from './stats.js';
import type { BenchTenant } from './tenants.js';

export interface Delivery {
  orderId: string;
  tenantId: string;
  sentAt: number;
  webhookMs: number;
  status: number;
}

/** One signed `order.paid` delivery, as the store sends it; the answer time is measured client-side. */
async function deliver(apiUrl: string, tenant: BenchTenant, item: BenchOrder): Promise<Delivery> {
  const body = JSON.stringify({
    type: 'order.paid',
    tenantId: tenant.id,
    createdAt: new Date().toISOString(),
    data: item.order,
  });
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  const headers = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(tenant.webhookSecret).sign(id, now, body),
  };
  const sentAt = Date.now();
  const started = performance.now();
  const response = await fetch(`${apiUrl}/webhooks/contractor-commerce`, { method: 'POST', headers, body });
  const answer = await response.text();
  const webhookMs = performance.now() - started;
  if (response.status !== 202) {
    throw new Error(`webhook for ${item.order.id} answered ${response.status}: ${answer.slice(0, 300)}`);
  }
  return { orderId: item.order.id, tenantId: tenant.id, sentAt, webhookMs, status: response.status };
}

/**
 * Sends `items` either at a steady rate (one every 1/rate seconds, each on its own, as orders trickle
 * in) or as a burst (everything at once, `burstSenders` deliveries in flight, as after a sale opens).
 */
export async function sendOrders(options: {
  apiUrl: string;
  tenants: BenchTenant[];
  items: BenchOrder[];
  mode: { kind: 'steady'; perSecond: number } | { kind: 'burst'; senders: number };
  onSent: (delivery: Delivery) => void;
}): Promise<Delivery[]> {
  const { items, mode } = options;
  const tenantOf = (item: BenchOrder) => options.tenants[item.tenantIndex] as BenchTenant;
  const deliveries: Delivery[] = [];
  const record = (delivery: Delivery) => {
    deliveries.push(delivery);
    options.onSent(delivery);
  };
  if (mode.kind === 'steady') {
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (const [i, item] of items.entries()) {
      const due = start + (i * 1000) / mode.perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      inFlight.push(deliver(options.apiUrl, tenantOf(item), item).then(record));
    }
    // Every delivery settles before a failure is reported: none is left running into the teardown.
    const failures = (await Promise.allSettled(inFlight)).filter((r) => r.status === 'rejected');
    if (failures[0]) throw failures[0].reason;
  } else {
    let next = 0;
    const sender = async () => {
      for (;;) {
        const item = items[next++];
        if (!item) return;
        record(await deliver(options.apiUrl, tenantOf(item), item));
      }
    };
    await Promise.all(Array.from({ length: mode.senders }, sender));
  }
  return deliveries;
}

export interface SyncedOrder {
  orderId: string;
  status: string;
  syncedAt: number | null;
}

/**
 * Waits until every order is synced (or parked: needs_attention/failed end the wait for that order),
 * reading the orders table (the read model the API serves).
 */
export async function waitForOrders(options: {
  sql: Sql;
  tenantIds: string[];
  orderIds: string[];
  label: string;
  timeoutMs: number;
  sent: () => number;
}): Promise<Map<string, SyncedOrder>> {
  const progress = new ProgressBar(options.label, options.orderIds.length);
  const done = new Map<string, SyncedOrder>();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const rows = await options.sql<{ order_id: string; status: string; synced_at: Date | string | null }[]>`
      select order_id, status, synced_at from orders
      where tenant_id = any(${options.tenantIds}) and order_id = any(${options.orderIds})
        and status in ('synced', 'needs_attention', 'failed', 'skipped')`;
    for (const row of rows) {
      done.set(row.order_id, {
        orderId: row.order_id,
        status: row.status,
        syncedAt: row.synced_at ? new Date(row.synced_at).getTime() : null,
      });
    }
    const parked = [...done.values()].filter((o) => o.status !== 'synced').length;
    progress.update(done.size, `sent ${options.sent()}${parked ? `, ${parked} parked` : ''}`);
    if (done.size >= options.orderIds.length) break;
    if (Date.now() > deadline) {
      process.stderr.write('\n');
      throw new Error(
        `${options.label}: only ${done.size} of ${options.orderIds.length} orders finished within ${Math.round(options.timeoutMs / 1000)} s`,
      );
    }
    await sleep(200);
  }
  progress.finish();
  return done;
}
