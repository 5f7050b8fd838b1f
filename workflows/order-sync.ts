import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LineKind, OrderSyncActivities, SyncPlan } from '../activities/contracts.js';
import { permanentSyncErrorTypes, SyncErrorType } from '../domain/sync-errors.js';
import type { StepStatus, SyncStatus } from '../domain/sync-status.js';
import {
  type CustomerChoice,
  customerChoiceSchema,
  type OrderSyncInput,
  type OrderSyncResult,
  type OrderSyncStatus,
  resolveCustomerSignal,
  retrySignal,
  statusQuery,
} from './definitions.js';
import {
  OrderIdKey,
  OrderKindKey,
  SubscriptionIdKey,
  SyncStatusKey,
  TenantIdKey,
} from './search-attributes.js';
import {
  SUBSCRIPTION_WORKFLOW,
  type SubscriptionInput,
  subscriptionWorkflowId,
} from './subscription-definitions.js';

/**
 * Transient ServiceTitan trouble (429, 5xx, timeouts, token expiry) retries here with backoff,
 * forever: nobody should be paged for it. Permanent failures (the error types of domain/sync-errors)
 * are not retried; the workflow parks the order for an operator instead.
 */
const activityOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    nonRetryableErrorTypes: [...permanentSyncErrorTypes],
  },
};
const activities = proxyActivities<OrderSyncActivities>(activityOptions);

type ActivityName = keyof OrderSyncActivities;

/** Calls an activity with a one-line summary the Temporal UI shows in the event history. */
function run<K extends ActivityName>(
  name: K,
  summary: string,
  input: Parameters<OrderSyncActivities[K]>[0],
): ReturnType<OrderSyncActivities[K]> {
  const activity = activities[name] as unknown as {
    executeWithOptions(options: ActivityOptions, args: unknown[]): ReturnType<OrderSyncActivities[K]>;
  };
  return activity.executeWithOptions({ ...activityOptions, summary }, [input]);
}

class ParkRequest {
  constructor(
    readonly type: string,
    readonly message: string,
  ) {}
}

/**
 * Syncs one paid store order into ServiceTitan: customer, location, pricebook items, one job per
 * kind with its invoice, the payment and the tags. Every step is an idempotent activity, so a second
 * start, a worker crash or an operator's double retry never creates anything twice. A permanent
 * failure undoes what would be left half-built, parks the order as `needs_attention` and waits for
 * the `retry` signal; the next attempt reloads settings and reuses what already exists.
 */
export async function orderSyncWorkflow(input: OrderSyncInput): Promise<OrderSyncResult> {
  const { tenantId, orderId } = input;
  const ref = { tenantId, orderId };
  const state: OrderSyncStatus = {
    tenantId,
    orderId,
    status: 'syncing',
    attempt: 0,
    steps: {},
    lastError: null,
    customerCandidates: null,
    waitingFor: null,
  };
  let retryRequested = false;
  let customerChoice: CustomerChoice | null = null;

  setHandler(statusQuery, () => state);
  setHandler(retrySignal, () => {
    retryRequested = true;
  });
  setHandler(resolveCustomerSignal, (raw: unknown) => {
    const parsed = customerChoiceSchema.safeParse(raw);
    if (!parsed.success) {
      // A malformed choice typed into the UI must not fail the workflow; the status says why it was ignored.
      state.lastError = {
        type: 'INVALID_SIGNAL',
        message:
          'resolveCustomer expects { "customerId": <ServiceTitan customer id> } or { "createNew": true }.',
      };
      return;
    }
    customerChoice = parsed.data;
    retryRequested = true;
  });

  const step = (name: string, status: StepStatus) => {
    state.steps[name] = status;
  };

  const setStatus = async (status: SyncStatus, error: { type: string; message: string } | null = null) => {
    upsertSearchAttributes([{ key: SyncStatusKey, value: status }]);
    await run('setOrderStatus', `Mark the order ${status}`, { ...ref, status, error });
    // The query reports the new status once the read model has it, so the API and the UI agree.
    state.status = status;
  };

  upsertSearchAttributes([
    { key: TenantIdKey, value: tenantId },
    { key: OrderIdKey, value: orderId },
    { key: SyncStatusKey, value: 'syncing' },
  ]);

  /** One full pass over the steps. Compensations of entities this product created are pushed LIFO. */
  async function syncOnce(compensations: Array<() => Promise<void>>): Promise<OrderSyncResult> {
    step('settings', { state: 'running' });
    const plan: SyncPlan = await run('loadSyncPlan', 'Load the order and the current settings', ref);
    step('settings', { state: 'done', detail: describePlan(plan) });
    upsertSearchAttributes([{ key: OrderKindKey, value: plan.orderKind }]);
    upsertMemo({ orderNumber: plan.orderNumber, customerName: plan.customerName });
    for (const kind of plan.skippedKinds)
      step(`job:${kind}`, { state: 'skipped', detail: `${kind} sync is switched off` });
    if (plan.kinds.length === 0) return { status: 'skipped', jobs: [] };
    await setStatus('syncing');

    step('customer', { state: 'running' });
    const customer = await run('resolveCustomer', `Find or create the customer ${plan.customerName}`, {
      ...ref,
      createCustomers: plan.createCustomers,
      choice: customerChoice,
    });
    if (customer.outcome === 'ambiguous') {
      state.customerCandidates = customer.candidates;
      step('customer', { state: 'waiting', detail: customer.reason });
      throw new ParkRequest(SyncErrorType.CustomerAmbiguous, `${customer.reason}. ${chooseCustomerHint}`);
    }
    state.customerCandidates = null;
    step('customer', {
      state: 'done',
      ids: { customerId: customer.customerId },
      detail: `${customer.outcome}: ${customer.reason}`,
    });

    step('location', { state: 'running' });
    const location = await run('ensureLocation', 'Find or create the service location', {
      ...ref,
      customerId: customer.customerId,
      knownLocationId: customer.locationId,
      createLocations: plan.createLocations,
    });
    step('location', {
      state: 'done',
      ids: { locationId: location.locationId },
      detail: location.created ? 'created' : 'matched',
    });

    const jobs: OrderSyncResult['jobs'] = [];
    const splits: Array<{ kind: LineKind; invoiceId: number; amount: string }> = [];
    for (const kindPlan of plan.kinds) {
      const { kind, settings } = kindPlan;
      step(`pricebook:${kind}`, { state: 'running' });
      const { skuIdsByLine } = await run('ensurePricebookItems', `Put the ${kind} lines in the pricebook`, {
        ...ref,
        kind,
        settings,
      });
      step(`pricebook:${kind}`, { state: 'done', ids: skuIdsByLine });

      step(`job:${kind}`, { state: 'running' });
      const job = await run('createJob', `Create the ${kind} job for order #${plan.orderNumber}`, {
        ...ref,
        kind,
        settings,
        customerId: customer.customerId,
        locationId: location.locationId,
        timeZone: plan.timeZone,
      });
      if (job.createdByUs) {
        compensations.unshift(async () => {
          await run('cancelJob', `Cancel ${kind} job ${job.jobId} (compensation)`, {
            ...ref,
            kind,
            jobId: job.jobId,
            reason: 'the sync could not complete',
          });
          step(`job:${kind}`, {
            state: 'compensated',
            ids: { jobId: job.jobId },
            detail: 'canceled until the retry',
          });
        });
      }
      step(`job:${kind}`, { state: 'done', ids: { jobId: job.jobId, invoiceId: job.invoiceId } });

      step(`invoice:${kind}`, { state: 'running' });
      // Registered before the call: a permanent failure inside buildInvoice may leave items behind.
      compensations.unshift(async () => {
        await run(
          'removeInvoiceItems',
          `Remove this order's items from invoice ${job.invoiceId} (compensation)`,
          {
            ...ref,
            kind,
            invoiceId: job.invoiceId,
          },
        );
        step(`invoice:${kind}`, {
          state: 'compensated',
          ids: { invoiceId: job.invoiceId },
          detail: 'items removed',
        });
      });
      const invoice = await run(
        'buildInvoice',
        `Add the ${kind} lines to invoice ${job.invoiceId}, expecting ${kindPlan.expectedTotal}`,
        {
          ...ref,
          kind,
          invoiceId: job.invoiceId,
          skuIdsByLine,
          taxShare: kindPlan.taxShare,
          expectedTotal: kindPlan.expectedTotal,
        },
      );
      step(`invoice:${kind}`, {
        state: 'done',
        ids: { invoiceId: invoice.invoiceId },
        detail: `total ${invoice.total}`,
      });
      jobs.push({ kind, jobId: job.jobId, invoiceId: job.invoiceId, total: invoice.total });
      splits.push({ kind, invoiceId: job.invoiceId, amount: kindPlan.expectedTotal });
    }

    let paymentId: number | undefined;
    // A retry started from the API does not know it syncs a cycle order; the plan does.
    const deferPayment = input.deferPayment === true || plan.subscriptionCycle != null;
    if (deferPayment) {
      step('payment', { state: 'pending', detail: 'recorded when the store charges the renewal' });
    } else {
      step('payment', { state: 'running' });
      const payment = await run('recordPayment', `Record the payment of ${plan.paymentAmount}`, {
        ...ref,
        customerId: customer.customerId,
        paymentTypeId: plan.paymentTypeId,
        splits,
      });
      paymentId = payment.paymentId;
      step('payment', { state: 'done', ids: { paymentId } });
    }
    // From here the order is complete in ServiceTitan: later failures park it without undoing revenue.
    compensations.length = 0;

    step('tags', { state: 'running' });
    const tagTypeIds = plan.kinds
      .map((k) =>
        plan.subscriptionId ? k.settings.tags.subscriptionTagTypeId : k.settings.tags.oneTimeTagTypeId,
      )
      .filter((id): id is number => typeof id === 'number');
    await run('applyTags', 'Tag the customer and location', {
      ...ref,
      customerId: customer.customerId,
      locationId: location.locationId,
      tagTypeIds,
    });
    step('tags', { state: 'done', ids: { tagTypeIds } });

    if (plan.subscriptionId && !deferPayment && patched('start-subscription-child')) {
      await startSubscription(tenantId, plan.subscriptionId, orderId);
      step('subscription', {
        state: 'done',
        detail: `cycles continue in ${subscriptionWorkflowId(tenantId, plan.subscriptionId)}`,
      });
    }

    return {
      status: 'synced',
      customerId: customer.customerId,
      locationId: location.locationId,
      jobs,
      ...(paymentId !== undefined ? { paymentId } : {}),
    };
  }

  for (;;) {
    state.attempt += 1;
    retryRequested = false;
    const compensations: Array<() => Promise<void>> = [];
    let park: ParkRequest;
    try {
      const result = await syncOnce(compensations);
      state.lastError = null;
      state.waitingFor = null;
      await setStatus(result.status);
      return result;
    } catch (error) {
      const permanent = asParkRequest(error);
      if (!permanent) {
        // Not a known permanent cause (a bug, or cancellation): record it so the API shows it, then fail.
        await CancellationScope.nonCancellable(() =>
          setStatus('failed', {
            type: 'UNEXPECTED',
            message: error instanceof Error ? error.message : String(error),
          }),
        );
        throw error;
      }
      park = permanent;
    }

    // Compensations must run even if the workflow is being cancelled, or the job stays half-built.
    await CancellationScope.nonCancellable(async () => {
      for (const compensate of compensations) {
        try {
          await compensate();
        } catch (error) {
          log.error('A compensation failed; the order stays parked for an operator', {
            error: String(error),
          });
        }
      }
    });
    for (const [name, status] of Object.entries(state.steps)) {
      if (status.state === 'running')
        state.steps[name] = { ...status, state: 'failed', detail: park.message };
    }
    state.lastError = { type: park.type, message: park.message };
    state.waitingFor =
      park.type === SyncErrorType.CustomerAmbiguous
        ? 'an operator to choose the customer (signal resolveCustomer)'
        : 'an operator to fix the cause and send the retry signal';
    await setStatus('needs_attention', state.lastError);
    log.warn('Order parked for attention', { type: park.type, message: park.message });
    await condition(() => retryRequested);
    state.waitingFor = null;
  }
}

/**
 * The subscription keeps producing a job every cycle after this order: its workflow outlives this
 * one (ABANDON). A subscription already running (a redelivery, or a renewal that arrived first and
 * started it) is left as it is.
 */
async function startSubscription(
  tenantId: string,
  subscriptionId: string,
  firstOrderId: string,
): Promise<void> {
  try {
    await startChild(SUBSCRIPTION_WORKFLOW, {
      workflowId: subscriptionWorkflowId(tenantId, subscriptionId),
      args: [{ tenantId, subscriptionId, firstOrderId } satisfies SubscriptionInput],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: TenantIdKey, value: tenantId },
        { key: SubscriptionIdKey, value: subscriptionId },
        { key: SyncStatusKey, value: 'syncing' },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

const chooseCustomerHint =
  'Choose one in the Temporal UI with the signal resolveCustomer: {"customerId": <id>} or {"createNew": true}';

function describePlan(plan: SyncPlan): string {
  const kinds = plan.kinds.map((k) => k.kind).join(' and ') || 'nothing';
  const skipped = plan.skippedKinds.length ? `; ${plan.skippedKinds.join(', ')} switched off` : '';
  return `order #${plan.orderNumber}: syncing ${kinds}${skipped}`;
}

/** A permanent failure from an activity (or a park this workflow decided) becomes a park; anything else propagates. */
function asParkRequest(error: unknown): ParkRequest | null {
  if (error instanceof ParkRequest) return error;
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    const cause = error.cause;
    if (cause.nonRetryable || (cause.type && permanentSyncErrorTypes.includes(cause.type))) {
      return new ParkRequest(cause.type ?? 'PERMANENT_FAILURE', cause.message);
    }
  }
  return null;
}
