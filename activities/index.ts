import type { OrderSyncActivities, SubscriptionActivities } from './contracts.js';
import { createCustomerActivities } from './customers.js';
import type { ActivityDeps } from './deps.js';
import { mapFailures } from './failures.js';
import { createInvoiceActivities } from './invoices.js';
import { createJobActivities } from './jobs.js';
import { createLocationActivities } from './locations.js';
import { createOrderActivities } from './orders.js';
import { createPaymentActivities } from './payments.js';
import { createPricebookActivities } from './pricebook.js';
import { createSubscriptionActivities } from './subscriptions.js';
import { createTagActivities } from './tags.js';

export type { ActivityDeps } from './deps.js';

/** What each activity does, in words operators read in failure messages. */
type AllActivities = OrderSyncActivities & SubscriptionActivities;

const doing: Record<keyof AllActivities, string> = {
  loadSyncPlan: 'Loading the order and its settings',
  setOrderStatus: 'Recording the order status',
  resolveCustomer: 'Finding or creating the ServiceTitan customer',
  ensureLocation: 'Finding or creating the service location',
  ensurePricebookItems: 'Preparing the pricebook items',
  createJob: 'Creating the job',
  buildInvoice: 'Building the invoice',
  recordPayment: 'Recording the payment',
  applyTags: 'Tagging the customer and location',
  cancelJob: 'Canceling the job (compensation)',
  removeInvoiceItems: 'Removing invoice items (compensation)',
  loadSubscription: 'Loading the subscription plan',
  prepareCycleOrder: "Preparing the subscription cycle's order",
  recordCyclePayment: "Recording the renewal as the cycle's payment",
};

/**
 * Every activity of OrderSyncWorkflow and SubscriptionWorkflow, built from injected dependencies and
 * wrapped so ServiceTitan failures become retryable or non-retryable Temporal failures with
 * plain-language messages.
 */
export function createOrderSyncActivities(deps: ActivityDeps): AllActivities {
  const raw: AllActivities = {
    ...createOrderActivities(deps),
    ...createCustomerActivities(deps),
    ...createLocationActivities(deps),
    ...createPricebookActivities(deps),
    ...createJobActivities(deps),
    ...createInvoiceActivities(deps),
    ...createPaymentActivities(deps),
    ...createTagActivities(deps),
    ...createSubscriptionActivities(deps),
  };
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(raw) as Array<
    [keyof OrderSyncActivities, (input: never) => Promise<unknown>]
  >) {
    wrapped[name] = (input: never) => mapFailures(doing[name], () => fn(input));
  }
  return wrapped as unknown as AllActivities;
}
