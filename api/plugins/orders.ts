import type { WorkflowExecutionDescription } from '@temporalio/client';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { loadOrderRow } from '../../db/orders.js';
import { orders } from '../../db/schema.js';
import { orderSchema } from '../../domain/order.js';
import { syncStatusSchema } from '../../domain/sync-status.js';
import { ORDER_SYNC_WORKFLOW, retrySignal, statusQuery } from '../../workflows/definitions.js';
import {
  decodeCursor,
  encodeCursor,
  liveStatusSchema,
  orderDetailSchema,
  orderSummary,
  orderSummarySchema,
} from '../order-views.js';
import { orderSyncStartOptions } from '../order-workflow.js';
import { HttpProblem, problemResponses } from '../problem.js';
import { orderParamsSchema, tenantIdSchema } from '../route-params.js';
import { describeOrNull, type TemporalAccess, withDeadline } from '../temporal-calls.js';

export interface OrdersPluginOptions {
  db: Database;
  temporal: TemporalAccess;
  /** Deadline of Temporal calls made while answering a request. */
  temporalTimeoutMs: number;
}

export function workflowRun(description: WorkflowExecutionDescription) {
  return {
    runId: description.runId,
    status: description.status.name,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime?.toISOString() ?? null,
  };
}

export const ordersPlugin: FastifyPluginAsyncZod<OrdersPluginOptions> = async (app, options) => {
  const { db, temporal, temporalTimeoutMs } = options;
  const { client } = temporal;
  const temporalCall = <T>(fn: () => Promise<T>) => withDeadline(client, temporalTimeoutMs, fn);

  app.get(
    '/orders',
    {
      schema: {
        summary: 'Orders from the read model, newest first',
        tags: ['operations'],
        security: [{ bearerAuth: [] }],
        querystring: z.object({
          tenantId: tenantIdSchema.optional(),
          status: syncStatusSchema.optional(),
          limit: z.coerce
            .number({ error: 'limit must be a number' })
            .int({ error: 'limit must be a whole number' })
            .min(1, { error: 'limit must be at least 1' })
            .max(200, { error: 'limit must be at most 200' })
            .default(50),
          cursor: z.string().optional().describe('nextCursor of the previous page'),
        }),
        response: {
          200: z.object({
            orders: z.array(orderSummarySchema),
            nextCursor: z
              .string()
              .nullable()
              .describe('Pass as cursor for the next page; null on the last page'),
          }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request) => {
      const { tenantId, status, limit, cursor } = request.query;
      const conditions: SQL[] = [];
      if (tenantId) conditions.push(eq(orders.tenantId, tenantId));
      if (status) conditions.push(eq(orders.status, status));
      if (cursor) {
        const position = decodeCursor(cursor);
        if (!position) {
          throw new HttpProblem(400, 'cursor is not one this API returned; start again without it.', [
            { field: 'cursor', message: 'is not a valid cursor' },
          ]);
        }
        conditions.push(
          sql`(${orders.createdAt}, ${orders.tenantId}, ${orders.orderId}) < (${position.at}::timestamptz, ${position.tenantId}, ${position.orderId})`,
        );
      }
      const rows = await db
        .select({ row: orders, at: sql<string>`${orders.createdAt}::text` })
        .from(orders)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(orders.createdAt), desc(orders.tenantId), desc(orders.orderId))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        orders: page.map(({ row }) => orderSummary(row, temporal)),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ at: last.at, tenantId: last.row.tenantId, orderId: last.row.orderId })
            : null,
      };
    },
  );

  app.get(
    '/orders/:tenantId/:orderId',
    {
      schema: {
        summary:
          'One order: every step with its state and ServiceTitan ids, the last error, and the live workflow status',
        tags: ['operations'],
        security: [{ bearerAuth: [] }],
        params: orderParamsSchema,
        response: { 200: orderDetailSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { tenantId, orderId } = request.params;
      const row = await loadOrderRow(db, tenantId, orderId);
      if (!row) throw new HttpProblem(404, `Order "${orderId}" of tenant "${tenantId}" was never received.`);
      const detail = {
        ...orderSummary(row, temporal),
        order: row.order,
        steps: (row.steps ?? {}) as Record<string, Record<string, unknown>>,
        workflow: null as ReturnType<typeof workflowRun> | null,
        live: null as z.infer<typeof liveStatusSchema> | null,
      };
      // The read model answers even when Temporal does not; the live part is best effort.
      try {
        const handle = client.workflow.getHandle(row.workflowId);
        const description = await temporalCall(() => describeOrNull(handle));
        if (!description) return detail;
        detail.workflow = workflowRun(description);
        if (description.status.name !== 'RUNNING') return detail;
        try {
          const status = await temporalCall(() => handle.query(statusQuery));
          return { ...detail, live: liveStatusSchema.parse(status) };
        } catch (error) {
          return {
            ...detail,
            liveError: `The workflow did not answer its status query (is a worker running on task queue "${description.taskQueue}"?): ${message(error)}`,
          };
        }
      } catch (error) {
        return { ...detail, liveError: `Temporal could not be reached: ${message(error)}` };
      }
    },
  );

  app.post(
    '/orders/:tenantId/:orderId/retry',
    {
      schema: {
        summary: 'Retry a parked or failed sync (idempotent)',
        description:
          'A running (parked) workflow gets the `retry` signal; an order whose workflow failed, was terminated or never started (switched off) gets a new run under the same workflow id. Nothing is created twice in ServiceTitan: every step reuses what exists.',
        tags: ['operations'],
        security: [{ bearerAuth: [] }],
        params: orderParamsSchema,
        response: {
          202: z.object({
            action: z.enum(['signaled', 'started']),
            workflowId: z.string(),
            runId: z.string(),
          }),
          ...problemResponses(401, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { tenantId, orderId } = request.params;
      const row = await loadOrderRow(db, tenantId, orderId);
      if (!row) throw new HttpProblem(404, `Order "${orderId}" of tenant "${tenantId}" was never received.`);
      const handle = client.workflow.getHandle(row.workflowId);
      const description = await temporalCall(() => describeOrNull(handle)).catch((error: unknown) => {
        throw new HttpProblem(503, `Temporal could not be reached; try again shortly (${message(error)}).`);
      });

      if (description?.status.name === 'RUNNING') {
        await temporalCall(() => handle.signal(retrySignal));
        request.log.info({ workflowId: row.workflowId }, 'retry signaled');
        return reply
          .code(202)
          .send({ action: 'signaled', workflowId: row.workflowId, runId: description.runId });
      }
      if (description?.status.name === 'COMPLETED' && row.status === 'synced') {
        throw new HttpProblem(
          409,
          `Order "${orderId}" is already synced to ServiceTitan; there is nothing to retry.`,
        );
      }
      const order = orderSchema.safeParse(row.order);
      if (!order.success) {
        throw new HttpProblem(
          409,
          `Order "${orderId}" as stored no longer passes validation, so it cannot be synced again.`,
        );
      }
      // A new run of the same id: USE_EXISTING makes a concurrent second retry join this run.
      const started = await temporalCall(() =>
        client.workflow.start(ORDER_SYNC_WORKFLOW, {
          ...orderSyncStartOptions(tenantId, order.data, temporal.taskQueue),
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      );
      request.log.info(
        { workflowId: row.workflowId, runId: started.firstExecutionRunId },
        'retry started a new run',
      );
      return reply
        .code(202)
        .send({ action: 'started', workflowId: row.workflowId, runId: started.firstExecutionRunId });
    },
  );
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
