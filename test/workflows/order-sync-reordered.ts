import { proxyActivities } from '@temporalio/workflow';
import type { OrderSyncActivities } from '../../activities/contracts.js';
import type { OrderSyncInput } from '../../workflows/definitions.js';

const { resolveCustomer } = proxyActivities<OrderSyncActivities>({ startToCloseTimeout: '1 minute' });

/**
 * The replay test's negative control: an "edit" of OrderSyncWorkflow that resolves the customer
 * before loading the settings. Replaying real histories against it must fail as non-deterministic.
 */
export async function orderSyncWorkflow({ tenantId, orderId }: OrderSyncInput): Promise<void> {
  await resolveCustomer({ tenantId, orderId, createCustomers: true, choice: null });
}
