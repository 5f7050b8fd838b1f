import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SubscriptionCanceled, SubscriptionRenewed, SubscriptionUpdated } from '../domain/events.js';

/**
 * What the API, the dispatcher and operators share about SubscriptionWorkflow (contracts §5):
 * its id, input, the store's event signals and the operator controls.
 */
export const SUBSCRIPTION_WORKFLOW = 'subscriptionWorkflow';
export const subscriptionWorkflowId = (tenantId: string, subscriptionId: string) =>
  `subscription:${tenantId}:${subscriptionId}`;

export interface SubscriptionInput {
  tenantId: string;
  subscriptionId: string;
  /** The order that started the subscription (its first cycle), once it is synced. */
  firstOrderId?: string;
}

/** The store charged a renewal (`subscription.renewed` data). */
export const renewedSignal = defineSignal<[SubscriptionRenewed]>('renewed');
/** The store changed interval, lines or address (`subscription.updated` data). */
export const updatedSignal = defineSignal<[SubscriptionUpdated]>('updated');
/** The store canceled the subscription (`subscription.canceled` data). */
export const canceledSignal = defineSignal<[SubscriptionCanceled]>('canceled');

export const pauseSignal = defineSignal<[]>('pause');
export const resumeSignal = defineSignal<[]>('resume');
export const skipNextSignal = defineSignal<[]>('skipNext');
export const cancelSignal = defineSignal<[{ reason?: string }?]>('cancel');

export interface CycleView {
  cycle: number;
  date: string;
  state: 'scheduled' | 'skipped' | 'job_created' | 'paid' | 'needs_attention' | 'canceled';
  jobIds: number[];
  invoiceIds: number[];
  paymentId: number | null;
  note: string | null;
}

export interface SubscriptionSchedule {
  tenantId: string;
  subscriptionId: string;
  status: 'active' | 'paused' | 'canceled';
  nextCycleDate: string | null;
  cycles: CycleView[];
}

export const scheduleQuery = defineQuery<SubscriptionSchedule>('schedule');
