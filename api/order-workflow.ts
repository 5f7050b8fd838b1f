import type { WorkflowStartOptions } from '@temporalio/client';
import { customerDisplayName } from '../domain/names.js';
import { type Order, orderKind } from '../domain/order.js';
import { type OrderSyncInput, orderSyncWorkflowId } from '../workflows/definitions.js';
import { OrderIdKey, OrderKindKey, SyncStatusKey, TenantIdKey } from '../workflows/search-attributes.js';

/**
 * How the API starts an order's sync, from the dispatcher and from a retry alike: deterministic id,
 * the search attributes operators filter by, and a memo that names the order in the Temporal UI.
 * `USE_EXISTING` makes a second start of a running sync a no-op.
 */
export function orderSyncStartOptions(
  tenantId: string,
  order: Order,
  taskQueue: string,
): WorkflowStartOptions & { workflowId: string } {
  const input: OrderSyncInput = { tenantId, orderId: order.id };
  return {
    workflowId: orderSyncWorkflowId(tenantId, order.id),
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: TenantIdKey, value: tenantId },
      { key: OrderIdKey, value: order.id },
      { key: OrderKindKey, value: orderKind(order) },
      { key: SyncStatusKey, value: 'received' },
    ],
    memo: {
      orderNumber: order.number,
      customerName: customerDisplayName(order.customer.firstName, order.customer.lastName),
    },
  };
}
