import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type WebhookRejection =
  | 'signature'
  | 'unknown_tenant'
  | 'invalid'
  | 'too_large'
  | 'unavailable'
  | 'unsupported_media_type';

/**
 * The API's Prometheus metrics, in a registry of their own (not prom-client's global one) so several
 * apps in one process (tests, the all-in-one launcher) never collide. The gauges that reflect the
 * database (inbox depth, orders by status) are filled in at scrape time by `metricsPlugin`.
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? false) collectDefaultMetrics({ register: registry });

  return {
    registry,
    webhooksReceived: new Counter({
      name: 'order_sync_webhooks_received_total',
      help: 'Webhook events stored in the inbox (answered 202), by event type.',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    webhooksDuplicate: new Counter({
      name: 'order_sync_webhooks_duplicate_total',
      help: 'Webhook deliveries of an event id already in the inbox (answered 200 duplicate).',
      registers: [registry],
    }),
    webhooksRejected: new Counter({
      name: 'order_sync_webhooks_rejected_total',
      help: 'Webhook deliveries refused, by reason (signature, unknown_tenant, invalid, too_large, unavailable).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    inboxDepth: new Gauge({
      name: 'order_sync_inbox_pending',
      help: 'Inbox events waiting to be dispatched to Temporal.',
      registers: [registry],
    }),
    ordersByStatus: new Gauge({
      name: 'order_sync_orders',
      help: 'Orders in the read model, by sync status.',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    dispatchLatency: new Histogram({
      name: 'order_sync_dispatch_latency_seconds',
      help: 'Time from storing a webhook event to its workflow start or signal.',
      labelNames: ['type'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    dispatchFailures: new Counter({
      name: 'order_sync_dispatch_failures_total',
      help: 'Failed dispatch attempts (the event stays pending and is retried with backoff).',
      registers: [registry],
    }),
  };
}

export type ApiMetrics = ReturnType<typeof createMetrics>;
