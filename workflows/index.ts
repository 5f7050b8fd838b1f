// The workflow bundle's entry point: every workflow the worker runs is exported here.
export { orderSyncWorkflow } from './order-sync.js';
export { subscriptionWorkflow } from './subscription.js';
