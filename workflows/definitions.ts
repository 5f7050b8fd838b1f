import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { StepStatus, SyncStatus } from '../domain/sync-status.js';

/**
 * Everything the API, the worker and operators share about OrderSyncWorkflow: its id, input,
 * signals and query (contracts §5). Importing this file pulls in no workflow code.
 */
export const ORDER_SYNC_WORKFLOW = 'orderSyncWorkflow';
export const orderSyncWorkflowId = (tenantId: string, orderId: string) => `order-sync:${tenantId}:${orderId}`;

export interface OrderSyncInput {
  tenantId: string;
  orderId: string;
  /**
   * A subscription cycle's order: its job and invoice are built ahead of the cycle date, and its
   * payment is recorded later, when the store's renewal charge arrives.
   */
  deferPayment?: boolean;
}

export { type CustomerChoice, customerChoiceSchema } from '../domain/customer-choice.js';

export interface CustomerCandidateSummary {
  id: number;
  name: string;
  address: string;
}

export interface OrderSyncStatus {
  tenantId: string;
  orderId: string;
  status: SyncStatus;
  attempt: number;
  steps: Record<string, StepStatus>;
  lastError: { type: string; message: string } | null;
  /** Set while the order waits for an operator to pick a customer. */
  customerCandidates: CustomerCandidateSummary[] | null;
  /** What the workflow is waiting for, in plain language, when it is parked. */
  waitingFor: string | null;
}

export interface OrderSyncResult {
  status: 'synced' | 'skipped';
  customerId?: number;
  locationId?: number;
  /** Per kind: the job, its invoice and what the invoice totals. */
  jobs: Array<{ kind: string; jobId: number; invoiceId: number; total: string }>;
  paymentId?: number;
}

/** Resumes a parked order after the cause was fixed (safe to send twice: nothing is created twice). */
export const retrySignal = defineSignal<[]>('retry');
/** Picks the customer for an order parked as ambiguous: `{ "customerId": 123 }` or `{ "createNew": true }`. */
export const resolveCustomerSignal = defineSignal<[unknown]>('resolveCustomer');
export const statusQuery = defineQuery<OrderSyncStatus>('status');
