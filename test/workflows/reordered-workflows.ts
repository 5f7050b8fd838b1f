import { proxyActivities } from '@temporalio/workflow';
import type { OrderSyncActivities, SubscriptionActivities } from '../../activities/contracts.js';
import type { OrderSyncInput } from '../../workflows/definitions.js';
import type { SubscriptionInput } from '../../workflows/subscription-definitions.js';

const { resolveCustomer, prepareCycleOrder } = proxyActivities<OrderSyncActivities & SubscriptionActivities>({
  startToCloseTimeout: '1 minute',
});

/**
 * The replay test's negative control: "edits" of the workflows that run a step out of order
 * (the customer before the settings; a cycle before the plan). Replaying real histories against
 * them must fail as non-deterministic.
 */
export async function orderSyncWorkflow({ tenantId, orderId }: OrderSyncInput): Promise<void> {
  await resolveCustomer({ tenantId, orderId, createCustomers: true, choice: null });
}

export async function subscriptionWorkflow({ tenantId, subscriptionId }: SubscriptionInput): Promise<void> {
  await prepareCycleOrder({
    tenantId,
    subscriptionId,
    firstOrderId: '',
    cycle: 1,
    date: '2027-01-01',
    overrides: {},
  });
}
