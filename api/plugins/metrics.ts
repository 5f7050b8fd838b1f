import { count, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { orders, webhookInbox } from '../../db/schema.js';
import { syncStatusSchema } from '../../domain/sync-status.js';
import type { ApiMetrics } from '../metrics.js';

export interface MetricsPluginOptions {
  db: Database;
  metrics: ApiMetrics;
}

export const metricsPlugin: FastifyPluginAsyncZod<MetricsPluginOptions> = async (app, options) => {
  const { db, metrics } = options;

  /** The gauges that mirror the database, read at scrape time; a database outage leaves them as they were. */
  async function refreshDatabaseGauges() {
    try {
      const [pending] = await db
        .select({ n: count() })
        .from(webhookInbox)
        .where(eq(webhookInbox.status, 'pending'));
      metrics.inboxDepth.set(pending?.n ?? 0);
      const byStatus = await db
        .select({ status: orders.status, n: count() })
        .from(orders)
        .groupBy(orders.status);
      metrics.ordersByStatus.reset();
      // Every status appears, at 0 when empty, so dashboards and alerts see the series.
      for (const status of syncStatusSchema.options) metrics.ordersByStatus.set({ status }, 0);
      for (const row of byStatus) metrics.ordersByStatus.set({ status: row.status }, row.n);
    } catch (error) {
      app.log.warn({ err: error }, 'metrics: could not read the database gauges');
    }
  }

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        description:
          'Webhooks received/duplicate/rejected, inbox depth, dispatch latency, orders by status (text exposition format).',
        tags: ['health'],
        response: { 200: z.string() },
      },
    },
    async (_request, reply) => {
      await refreshDatabaseGauges();
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    },
  );
};
