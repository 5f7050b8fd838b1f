import type { WebhookEvent } from '../domain/events.js';
import { orderSyncWorkflowId } from '../workflows/definitions.js';
import { subscriptionWorkflowId } from '../workflows/subscription-definitions.js';

/** The workflow an event belongs to: an order's sync, or a subscription's schedule (contracts §5). */
export function workflowIdForEvent(event: WebhookEvent): string {
  return event.type === 'order.paid'
    ? orderSyncWorkflowId(event.tenantId, event.data.id)
    : subscriptionWorkflowId(event.tenantId, event.data.subscriptionId);
}

/** The signal a subscription event becomes. */
export const SUBSCRIPTION_EVENT_SIGNALS = {
  'subscription.renewed': 'renewed',
  'subscription.updated': 'updated',
  'subscription.canceled': 'canceled',
} as const;
