import { z } from 'zod';
import type { OrderRow } from '../db/orders.js';
import { syncStatusSchema } from '../domain/sync-status.js';
import { type TemporalAccess, temporalUiLink } from './temporal-calls.js';

const idRecord = z.record(z.string(), z.unknown());

export const orderSummarySchema = z
  .object({
    tenantId: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    kind: z.string().describe('product, service or mixed'),
    status: z.string().describe(`One of ${syncStatusSchema.options.join(', ')}`),
    workflowId: z.string(),
    temporalUrl: z
      .string()
      .nullable()
      .describe('The workflow in the Temporal UI (null when no UI is configured)'),
    serviceTitan: z.object({
      customerId: z.int().nullable(),
      locationId: z.int().nullable(),
      ids: idRecord.describe('Per kind: { product: { jobId, invoiceId, paymentId }, service: … }'),
    }),
    lastError: z.object({ type: z.string().nullable(), message: z.string() }).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    syncedAt: z.string().nullable(),
  })
  .meta({ id: 'OrderSummary' });
export type OrderSummary = z.infer<typeof orderSummarySchema>;

const stepSchema = z.looseObject({
  state: z.string().optional(),
  ids: idRecord.optional(),
  detail: z.string().optional(),
});

/** The workflow's own answer to the `status` query (workflows/definitions.ts OrderSyncStatus). */
export const liveStatusSchema = z.looseObject({
  status: z.string(),
  attempt: z.number(),
  steps: z.record(z.string(), stepSchema),
  lastError: z.object({ type: z.string(), message: z.string() }).nullable(),
  customerCandidates: z
    .array(z.looseObject({ id: z.number(), name: z.string(), address: z.string() }))
    .nullable(),
  waitingFor: z.string().nullable(),
});

export const workflowRunSchema = z.object({
  runId: z.string(),
  status: z
    .string()
    .describe('RUNNING, COMPLETED, FAILED, TERMINATED, CANCELLED, TIMED_OUT, CONTINUED_AS_NEW'),
  startTime: z.string(),
  closeTime: z.string().nullable(),
});

export const orderDetailSchema = orderSummarySchema
  .extend({
    order: z.unknown().describe('The store order as received'),
    steps: z.record(z.string(), stepSchema).describe('Each step with its state, ServiceTitan ids and detail'),
    workflow: workflowRunSchema.nullable().describe('The latest run, null when no workflow was started'),
    live: liveStatusSchema.nullable().describe('The running workflow’s own status query answer'),
    liveError: z.string().optional().describe('Why the live status could not be read'),
  })
  .meta({ id: 'OrderDetail' });

export function orderSummary(
  row: OrderRow,
  temporal: Pick<TemporalAccess, 'uiBaseUrl' | 'namespace'>,
): OrderSummary {
  return {
    tenantId: row.tenantId,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    kind: row.kind,
    status: row.status,
    workflowId: row.workflowId,
    temporalUrl: temporalUiLink(temporal, row.workflowId),
    serviceTitan: {
      customerId: row.stCustomerId ?? null,
      locationId: row.stLocationId ?? null,
      ids: (row.stIds ?? {}) as Record<string, unknown>,
    },
    lastError: row.lastError ? { type: row.lastErrorType ?? null, message: row.lastError } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    syncedAt: row.syncedAt?.toISOString() ?? null,
  };
}

/** Opaque paging position: the last row's exact created_at text (microseconds kept) and key. */
export function encodeCursor(position: { at: string; tenantId: string; orderId: string }): string {
  return Buffer.from(JSON.stringify([position.at, position.tenantId, position.orderId])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): { at: string; tenantId: string; orderId: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [at, tenantId, orderId] = value as unknown[];
    if (typeof at === 'string' && typeof tenantId === 'string' && typeof orderId === 'string') {
      if (!Number.isNaN(Date.parse(at))) return { at, tenantId, orderId };
    }
  } catch {
    // fall through: not a cursor this API made
  }
  return undefined;
}
