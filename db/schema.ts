import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A contractor's connection. Secret columns hold AES-256-GCM ciphertext (see api/ secrets), never
 * plain text, so a database dump does not leak ServiceTitan credentials or webhook keys.
 */
export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  stEnvironment: text('st_environment').notNull(),
  stTenantId: bigint('st_tenant_id', { mode: 'number' }).notNull(),
  stClientId: text('st_client_id').notNull(),
  stClientSecretEncrypted: text('st_client_secret_encrypted').notNull(),
  stAppKeyEncrypted: text('st_app_key_encrypted').notNull(),
  stBaseUrl: text('st_base_url'),
  stAuthUrl: text('st_auth_url'),
  /** Encrypted JSON array of `whsec_…` secrets; several are active while a secret is rotated. */
  webhookSecretsEncrypted: text('webhook_secrets_encrypted').notNull(),
  settings: jsonb('settings'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Every accepted webhook, stored before the store gets its 2xx. The dispatcher turns pending rows
 * into workflow starts or signals; the unique event id makes redelivery a no-op.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull().unique(),
    tenantId: text('tenant_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    /** pending → dispatched | skipped | rejected */
    status: text('status').notNull().default('pending'),
    workflowId: text('workflow_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (table) => [
    index('webhook_inbox_pending_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
  ],
);

/**
 * The read model of every order: written by short activities as the sync advances, so the API can
 * list and show orders without Temporal visibility queries.
 */
export const orders = pgTable(
  'orders',
  {
    tenantId: text('tenant_id').notNull(),
    orderId: text('order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    kind: text('kind').notNull(),
    /** received | syncing | synced | needs_attention | failed | skipped */
    status: text('status').notNull().default('received'),
    order: jsonb('order').notNull(),
    workflowId: text('workflow_id').notNull(),
    stCustomerId: bigint('st_customer_id', { mode: 'number' }),
    stLocationId: bigint('st_location_id', { mode: 'number' }),
    /** Per kind: `{ product: { jobId, invoiceId, paymentId }, service: … }`. */
    stIds: jsonb('st_ids').notNull().default({}),
    /** Step name → `{ state, stId?, detail? }`, for the API's order detail. */
    steps: jsonb('steps').notNull().default({}),
    lastError: text('last_error'),
    lastErrorType: text('last_error_type'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.orderId] }),
    index('orders_status_idx').on(table.tenantId, table.status, table.createdAt),
  ],
);

/**
 * What this product created or matched in ServiceTitan, keyed by a deterministic step key
 * (`customer`, `job:product`, `invoice-item:li_1`, …) within a scope (an order, or a subscription
 * cycle). Activities read it before creating anything and write it right after, so a retry after a
 * crash finds what the previous attempt did.
 */
export const syncLedger = pgTable(
  'sync_ledger',
  {
    tenantId: text('tenant_id').notNull(),
    scope: text('scope').notNull(),
    step: text('step').notNull(),
    stEntityId: bigint('st_entity_id', { mode: 'number' }).notNull(),
    /** True when this product created the entity (a saga may undo it); false when it matched one. */
    created: boolean('created').notNull(),
    details: jsonb('details'),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.scope, table.step] })],
);
