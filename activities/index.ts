import type { OrderSyncActivities } from './contracts.js';
import { createCustomerActivities } from './customers.js';
import type { ActivityDeps } from './deps.js';
import { mapFailures } from './failures.js';
import { createInvoiceActivities } from './invoices.js';
import { createJobActivities } from './jobs.js';
import { createLocationActivities } from './locations.js';
import { createOrderActivities } from './orders.js';
import { createPaymentActivities } from './payments.js';
import { createPricebookActivities } from './pricebook.js';
import { createTagActivities } from './tags.js';

export type { ActivityDeps } from './deps.js';

/** What each activity does, in words operators read in failure messages. */
const doing: Record<keyof OrderSyncActivities, string> = {
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
};

/**
 * Every OrderSyncWorkflow activity, built from injected dependencies and wrapped so ServiceTitan
 * failures become retryable or non-retryable Temporal failures with plain-language messages.
 */
export function createOrderSyncActivities(deps: ActivityDeps): OrderSyncActivities {
  const raw: OrderSyncActivities = {
    ...createOrderActivities(deps),
    ...createCustomerActivities(deps),
    ...createLocationActivities(deps),
    ...createPricebookActivities(deps),
    ...createJobActivities(deps),
    ...createInvoiceActivities(deps),
    ...createPaymentActivities(deps),
    ...createTagActivities(deps),
  };
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(raw) as Array<
    [keyof OrderSyncActivities, (input: never) => Promise<unknown>]
  >) {
    wrapped[name] = (input: never) => mapFailures(doing[name], () => fn(input));
  }
  return wrapped as unknown as OrderSyncActivities;
}
