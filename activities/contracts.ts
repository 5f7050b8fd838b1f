import type { OrderKind } from '../domain/order.js';
import type { EnabledKindSettings } from '../domain/settings.js';
import type { SyncStatus } from '../domain/sync-status.js';
import type { CustomerCandidateSummary, CustomerChoice } from '../workflows/definitions.js';

/**
 * The activities OrderSyncWorkflow calls, as types only: the workflow imports this file with
 * `import type`, the implementations in this folder satisfy it. Inputs carry ids, never the order
 * itself; every activity loads what it needs, so payloads stay small and free of stale copies.
 */
export type LineKind = Exclude<OrderKind, 'mixed'>;

export interface OrderRef {
  tenantId: string;
  orderId: string;
}

export interface KindPlan {
  kind: LineKind;
  settings: EnabledKindSettings;
  /** Subtotal of this kind's lines plus its share of the order's tax: what its invoice must total. */
  expectedTotal: string;
  taxShare: string;
}

export interface SyncPlan {
  orderNumber: string;
  customerName: string;
  orderKind: OrderKind;
  timeZone: string;
  kinds: KindPlan[];
  skippedKinds: LineKind[];
  paymentTypeId: number;
  paymentAmount: string;
  createCustomers: boolean;
  createLocations: boolean;
  subscriptionId: string | null;
  /** Set for a subscription cycle's order: its payment waits for the store's renewal charge. */
  subscriptionCycle: number | null;
}

export type ResolveCustomerResult =
  | { outcome: 'matched' | 'created'; customerId: number; locationId: number | null; reason: string }
  | { outcome: 'ambiguous'; candidates: CustomerCandidateSummary[]; reason: string };

export interface JobResult {
  jobId: number;
  invoiceId: number;
  /** True when this product created the job (so a saga may cancel it). */
  createdByUs: boolean;
}

export interface InvoiceResult {
  invoiceId: number;
  total: string;
  itemIds: number[];
}

export interface OrderSyncActivities {
  loadSyncPlan(input: OrderRef): Promise<SyncPlan>;
  setOrderStatus(
    input: OrderRef & { status: SyncStatus; error?: { type: string; message: string } | null },
  ): Promise<void>;
  resolveCustomer(
    input: OrderRef & { createCustomers: boolean; choice: CustomerChoice | null },
  ): Promise<ResolveCustomerResult>;
  ensureLocation(
    input: OrderRef & { customerId: number; knownLocationId: number | null; createLocations: boolean },
  ): Promise<{ locationId: number; created: boolean }>;
  ensurePricebookItems(
    input: OrderRef & { kind: LineKind; settings: EnabledKindSettings },
  ): Promise<{ skuIdsByLine: Record<string, number> }>;
  createJob(
    input: OrderRef & {
      kind: LineKind;
      settings: EnabledKindSettings;
      customerId: number;
      locationId: number;
      timeZone: string;
    },
  ): Promise<JobResult>;
  buildInvoice(
    input: OrderRef & {
      kind: LineKind;
      invoiceId: number;
      skuIdsByLine: Record<string, number>;
      taxShare: string;
      expectedTotal: string;
    },
  ): Promise<InvoiceResult>;
  recordPayment(
    input: OrderRef & {
      customerId: number;
      paymentTypeId: number;
      splits: Array<{ kind: LineKind; invoiceId: number; amount: string }>;
    },
  ): Promise<{ paymentId: number }>;
  applyTags(
    input: OrderRef & { customerId: number; locationId: number; tagTypeIds: number[] },
  ): Promise<{ customerTagTypeIds: number[]; locationTagTypeIds: number[] }>;
  /** Saga: cancels a job this product created, with a cancel reason that names the order. */
  cancelJob(input: OrderRef & { kind: LineKind; jobId: number; reason: string }): Promise<void>;
  /** Saga: removes the invoice items this product added for the order's lines of that kind. */
  removeInvoiceItems(input: OrderRef & { kind: LineKind; invoiceId: number }): Promise<{ removed: number }>;
}

/** What SubscriptionWorkflow needs to plan its cycles, read from the first order and the settings. */
export interface SubscriptionPlan {
  firstOrderId: string;
  orderNumber: string;
  customerName: string;
  timeZone: string;
  anchorDate: string;
  interval: 'week' | 'month' | 'year';
  intervalCount: number;
  leadDays: number;
  renewalGraceDays: number;
}

/** Lines or service address the store changed for the cycles still to come. */
export interface SubscriptionOverrides {
  lines?: unknown[];
  serviceAddress?: unknown;
}

export interface SubscriptionActivities {
  loadSubscription(input: { tenantId: string; subscriptionId: string }): Promise<SubscriptionPlan>;
  /** Stores cycle `cycle`'s order (the subscription's current lines and address, on the cycle date). */
  prepareCycleOrder(input: {
    tenantId: string;
    subscriptionId: string;
    firstOrderId: string;
    cycle: number;
    date: string;
    overrides: SubscriptionOverrides;
  }): Promise<{ orderId: string; total: string }>;
  /** Records the store's renewal charge as the cycle's payment, split across the cycle's invoices. */
  recordCyclePayment(input: {
    tenantId: string;
    orderId: string;
    renewal: { paymentId: string; amount: string; chargedAt: string };
    invoices: Array<{ invoiceId: number; amount: string }>;
  }): Promise<{ paymentId: number }>;
  cancelJob: OrderSyncActivities['cancelJob'];
}
