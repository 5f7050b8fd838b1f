import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  executeChild,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  SubscriptionActivities,
  SubscriptionOverrides,
  SubscriptionPlan,
} from '../activities/contracts.js';
import { type CyclePlan, cycleDate, replan } from '../domain/cycles.js';
import { addDays, localDate, localDateTimeToUtc } from '../domain/dates.js';
import type { SubscriptionRenewed, SubscriptionUpdated } from '../domain/events.js';
import { permanentSyncErrorTypes } from '../domain/sync-errors.js';
import {
  ORDER_SYNC_WORKFLOW,
  type OrderSyncInput,
  type OrderSyncResult,
  orderSyncWorkflowId,
} from './definitions.js';
import { OrderIdKey, SubscriptionIdKey, SyncStatusKey, TenantIdKey } from './search-attributes.js';
import {
  type CycleView,
  canceledSignal,
  cancelSignal,
  pauseSignal,
  renewedSignal,
  resumeSignal,
  type SubscriptionInput,
  type SubscriptionSchedule,
  scheduleQuery,
  skipNextSignal,
  updatedSignal,
} from './subscription-definitions.js';

const activityOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [...permanentSyncErrorTypes],
  },
};
const activities = proxyActivities<SubscriptionActivities>(activityOptions);

/** History stays bounded: a run handles at most this many cycles before continuing as new. */
const CYCLES_PER_RUN = 6;
/** Cycles kept in the schedule (older ones are in the cycle orders' own workflows and the API). */
const CYCLES_KEPT = 24;
/** Cycle jobs are created early in the morning of their lead day, in the tenant's zone. */
const JOB_CREATION_TIME = '06:00';

interface CycleRecord extends CycleView {
  orderId: string | null;
  invoices: Array<{ invoiceId: number; amount: string }>;
  /** The kind of each job in `jobIds` (absent in state saved before kinds were kept: product). */
  jobKinds?: Array<'product' | 'service'>;
}

/** Everything the workflow knows, JSON-plain so it crosses continue-as-new intact. */
export interface SubscriptionState {
  plan: SubscriptionPlan;
  cyclePlan: CyclePlan;
  status: 'active' | 'paused' | 'canceled';
  nextCycle: number;
  cycles: CycleRecord[];
  /** Renewals received for cycles whose payment is not recorded yet, by cycle number. */
  renewals: Record<string, SubscriptionRenewed>;
  skipNext: boolean;
  overrides: SubscriptionOverrides;
  cancelRequest: { reason: string } | null;
  pendingUpdates: SubscriptionUpdated[];
}

export type SubscriptionWorkflowInput = SubscriptionInput & { state?: SubscriptionState };

/**
 * Keeps a subscription producing work in ServiceTitan for as long as it lives: ahead of every cycle
 * (by the lead time) a cycle order is synced as a child OrderSyncWorkflow — job, appointment on the
 * cycle date, invoice — and the store's renewal charge becomes that cycle's payment. Operators pause,
 * resume, skip and cancel it with signals; `schedule` shows every cycle. Continues as new every few
 * cycles so the history stays small over years.
 */
export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<SubscriptionSchedule> {
  const { tenantId, subscriptionId } = input;
  let state: SubscriptionState | undefined = input.state;
  let dirty = false;
  const early: {
    renewals: SubscriptionRenewed[];
    updates: SubscriptionUpdated[];
    cancel: string | null;
    pause: boolean | null;
    skip: boolean;
  } = {
    renewals: [],
    updates: [],
    cancel: null,
    pause: null,
    skip: false,
  };
  const wake = () => {
    dirty = true;
  };

  setHandler(renewedSignal, (renewal) => {
    if (!state) early.renewals.push(renewal);
    else acceptRenewal(state, renewal);
    wake();
  });
  setHandler(updatedSignal, (update) => {
    if (!state) early.updates.push(update);
    else state.pendingUpdates.push(update);
    wake();
  });
  setHandler(canceledSignal, (canceled) => {
    const reason = `canceled in the store${canceled.reason ? `: ${canceled.reason}` : ''}`;
    if (!state) early.cancel = reason;
    else state.cancelRequest ??= { reason };
    wake();
  });
  setHandler(cancelSignal, (request) => {
    const reason = `canceled by an operator${request?.reason ? `: ${request.reason}` : ''}`;
    if (!state) early.cancel = reason;
    else state.cancelRequest ??= { reason };
    wake();
  });
  setHandler(pauseSignal, () => {
    if (!state) early.pause = true;
    else if (state.status === 'active') state.status = 'paused';
    wake();
  });
  setHandler(resumeSignal, () => {
    if (!state) early.pause = false;
    else if (state.status === 'paused') resume(state);
    wake();
  });
  setHandler(skipNextSignal, () => {
    if (!state) early.skip = true;
    else state.skipNext = true;
    wake();
  });
  setHandler(scheduleQuery, () => scheduleOf(tenantId, subscriptionId, state));

  upsertSearchAttributes([
    { key: TenantIdKey, value: tenantId },
    { key: SubscriptionIdKey, value: subscriptionId },
  ]);

  if (!state) {
    const plan = await activities.loadSubscription({ tenantId, subscriptionId });
    state = {
      plan,
      cyclePlan: {
        anchorDate: plan.anchorDate,
        anchorCycle: 0,
        interval: plan.interval,
        intervalCount: plan.intervalCount,
      },
      status: early.pause ? 'paused' : 'active',
      // Cycle 0 is the first order itself, synced by its own OrderSyncWorkflow.
      nextCycle: 1,
      cycles: [],
      renewals: {},
      skipNext: early.skip,
      overrides: {},
      cancelRequest: early.cancel ? { reason: early.cancel } : null,
      pendingUpdates: early.updates,
    };
    for (const renewal of early.renewals) acceptRenewal(state, renewal);
  }
  const s: SubscriptionState = state;
  upsertMemo({
    plan: describePlan(s.cyclePlan),
    customerName: s.plan.customerName,
    firstOrder: s.plan.orderNumber,
  });
  upsertSearchAttributes([{ key: OrderIdKey, value: s.plan.firstOrderId }]);
  publishStatus(s);

  let cyclesThisRun = 0;
  for (;;) {
    applyUpdates(s);
    if (s.cancelRequest) {
      await CancellationScope.nonCancellable(() => cancelFutureCycles(tenantId, s));
      s.status = 'canceled';
      publishStatus(s);
      await condition(allHandlersFinished);
      return scheduleOf(tenantId, subscriptionId, s);
    }
    await recordRenewals(tenantId, s);
    markOverdueCycles(s);
    publishStatus(s);

    if (s.status === 'active' && Date.now() >= jobCreationTime(s, s.nextCycle)) {
      await runCycle(tenantId, subscriptionId, s);
      s.nextCycle += 1;
      cyclesThisRun += 1;
      continue;
    }

    if (cyclesThisRun >= CYCLES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      // Signals that arrived meanwhile are in `state`: nothing is lost across the boundary.
      await condition(allHandlersFinished);
      s.cycles = s.cycles.slice(-CYCLES_KEPT);
      await continueAsNew<typeof subscriptionWorkflow>({ tenantId, subscriptionId, state: s });
    }

    const nextWake = nextWakeTime(s);
    dirty = false;
    await condition(() => dirty, nextWake === null ? undefined : Math.max(nextWake - Date.now(), 1));
  }
}

function acceptRenewal(state: SubscriptionState, renewal: SubscriptionRenewed): void {
  const cycle = state.cycles.find((c) => c.cycle === renewal.cycle);
  // A duplicate of a renewal already recorded changes nothing.
  if (cycle?.paymentId != null) return;
  state.renewals[String(renewal.cycle)] = renewal;
}

function resume(state: SubscriptionState): void {
  state.status = 'active';
  // Cycles whose date passed while paused are skipped, not created late.
  const today = todayIn(state.plan.timeZone);
  while (cycleDate(state.cyclePlan, state.nextCycle) < today) {
    state.cycles.push(
      newCycle(state, state.nextCycle, 'skipped', 'skipped while the subscription was paused'),
    );
    state.nextCycle += 1;
  }
}

function applyUpdates(state: SubscriptionState): void {
  for (const update of state.pendingUpdates.splice(0)) {
    if (update.interval || update.intervalCount || update.nextCycleAt) {
      const nextCycleDate = update.nextCycleAt ? update.nextCycleAt.slice(0, 10) : undefined;
      state.cyclePlan = replan(state.cyclePlan, state.nextCycle, {
        ...(update.interval ? { interval: update.interval } : {}),
        ...(update.intervalCount ? { intervalCount: update.intervalCount } : {}),
        ...(nextCycleDate ? { nextCycleDate } : {}),
      });
      upsertMemo({ plan: describePlan(state.cyclePlan) });
    }
    if (update.lines) state.overrides.lines = update.lines;
    if (update.serviceAddress) state.overrides.serviceAddress = update.serviceAddress;
  }
}

async function runCycle(tenantId: string, subscriptionId: string, state: SubscriptionState): Promise<void> {
  const cycle = state.nextCycle;
  const date = cycleDate(state.cyclePlan, cycle);
  if (state.skipNext) {
    state.skipNext = false;
    state.cycles.push(newCycle(state, cycle, 'skipped', 'skipped by an operator'));
    return;
  }
  const record = newCycle(state, cycle, 'scheduled', null);
  state.cycles.push(record);
  const { orderId } = await activities.prepareCycleOrder({
    tenantId,
    subscriptionId,
    firstOrderId: state.plan.firstOrderId,
    cycle,
    date,
    overrides: state.overrides,
  });
  record.orderId = orderId;
  try {
    const result = await executeChild(ORDER_SYNC_WORKFLOW, {
      workflowId: orderSyncWorkflowId(tenantId, orderId),
      args: [{ tenantId, orderId, deferPayment: true } satisfies OrderSyncInput],
      // A cycle's sync finishes (or waits for an operator) even if the subscription is canceled meanwhile.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: TenantIdKey, value: tenantId },
        { key: OrderIdKey, value: orderId },
        { key: SubscriptionIdKey, value: subscriptionId },
        { key: SyncStatusKey, value: 'received' },
      ],
    });
    const synced = result as OrderSyncResult;
    record.jobIds = synced.jobs.map((job) => job.jobId);
    record.jobKinds = synced.jobs.map((job) => (job.kind === 'service' ? 'service' : 'product'));
    record.invoiceIds = synced.jobs.map((job) => job.invoiceId);
    record.invoices = synced.jobs.map((job) => ({ invoiceId: job.invoiceId, amount: job.total }));
    record.state = 'job_created';
  } catch (error) {
    if (error instanceof ChildWorkflowFailure || error instanceof WorkflowExecutionAlreadyStartedError) {
      record.state = 'needs_attention';
      record.note = `the cycle's order sync did not finish: ${error.message}`;
      log.warn('Cycle order sync failed', { cycle, error: error.message });
      return;
    }
    throw error;
  }
}

async function recordRenewals(tenantId: string, state: SubscriptionState): Promise<void> {
  for (const record of state.cycles) {
    const renewal = state.renewals[String(record.cycle)];
    if (!renewal) continue;
    if (record.paymentId != null || record.state === 'skipped' || record.state === 'canceled') {
      delete state.renewals[String(record.cycle)];
      continue;
    }
    // Held until the cycle's job and invoice exist.
    if (!record.orderId || record.invoices.length === 0) continue;
    try {
      const { paymentId } = await activities.recordCyclePayment({
        tenantId,
        orderId: record.orderId,
        renewal: {
          paymentId: renewal.payment.id,
          amount: renewal.payment.amount,
          chargedAt: renewal.chargedAt,
        },
        invoices: record.invoices,
      });
      record.paymentId = paymentId;
      record.state = 'paid';
      record.note = null;
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      if (!(cause instanceof ApplicationFailure)) throw error;
      record.state = 'needs_attention';
      record.note = cause.message;
    }
    delete state.renewals[String(record.cycle)];
  }
}

/** A cycle whose renewal has not arrived within the grace period needs attention; later cycles go on. */
function markOverdueCycles(state: SubscriptionState): void {
  const now = Date.now();
  for (const record of state.cycles) {
    if (record.state === 'job_created' && now >= graceDeadline(state, record.date)) {
      record.state = 'needs_attention';
      record.note = `the store's renewal charge did not arrive within ${state.plan.renewalGraceDays} days of the cycle date`;
    }
  }
}

async function cancelFutureCycles(tenantId: string, state: SubscriptionState): Promise<void> {
  const today = todayIn(state.plan.timeZone);
  for (const record of state.cycles) {
    if (record.date <= today || record.paymentId != null || record.jobIds.length === 0 || !record.orderId)
      continue;
    for (const [index, jobId] of record.jobIds.entries()) {
      await activities.cancelJob({
        tenantId,
        orderId: record.orderId,
        kind: record.jobKinds?.[index] ?? 'product',
        jobId,
        reason: state.cancelRequest?.reason ?? 'the subscription was canceled',
      });
    }
    record.state = 'canceled';
    record.note = state.cancelRequest?.reason ?? null;
  }
}

function newCycle(
  state: SubscriptionState,
  cycle: number,
  cycleState: CycleView['state'],
  note: string | null,
): CycleRecord {
  return {
    cycle,
    date: cycleDate(state.cyclePlan, cycle),
    state: cycleState,
    jobIds: [],
    invoiceIds: [],
    paymentId: null,
    note,
    orderId: null,
    invoices: [],
  };
}

function jobCreationTime(state: SubscriptionState, cycle: number): number {
  const date = addDays(cycleDate(state.cyclePlan, cycle), -state.plan.leadDays);
  return Date.parse(localDateTimeToUtc(date, JOB_CREATION_TIME, state.plan.timeZone));
}

function graceDeadline(state: SubscriptionState, date: string): number {
  return Date.parse(
    localDateTimeToUtc(addDays(date, state.plan.renewalGraceDays + 1), '00:00', state.plan.timeZone),
  );
}

function nextWakeTime(state: SubscriptionState): number | null {
  const times: number[] = [];
  if (state.status === 'active') times.push(jobCreationTime(state, state.nextCycle));
  for (const record of state.cycles) {
    if (record.state === 'job_created') times.push(graceDeadline(state, record.date));
  }
  return times.length ? Math.min(...times) : null;
}

function todayIn(timeZone: string): string {
  return localDate(new Date(Date.now()).toISOString(), timeZone);
}

function publishStatus(state: SubscriptionState): void {
  const status =
    state.status === 'canceled'
      ? 'synced'
      : state.cycles.some((c) => c.state === 'needs_attention')
        ? 'needs_attention'
        : 'syncing';
  upsertSearchAttributes([{ key: SyncStatusKey, value: status }]);
}

function describePlan(plan: CyclePlan): string {
  return `every ${plan.intervalCount === 1 ? '' : `${plan.intervalCount} `}${plan.interval}${plan.intervalCount === 1 ? '' : 's'}`;
}

function scheduleOf(
  tenantId: string,
  subscriptionId: string,
  state: SubscriptionState | undefined,
): SubscriptionSchedule {
  if (!state) return { tenantId, subscriptionId, status: 'active', nextCycleDate: null, cycles: [] };
  const upcoming: CycleView[] =
    state.status === 'canceled'
      ? []
      : [0, 1, 2].map((offset) => ({
          cycle: state.nextCycle + offset,
          date: cycleDate(state.cyclePlan, state.nextCycle + offset),
          state: offset === 0 && state.skipNext ? 'skipped' : 'scheduled',
          jobIds: [],
          invoiceIds: [],
          paymentId: null,
          note:
            offset === 0 && state.skipNext ? 'will be skipped' : state.status === 'paused' ? 'paused' : null,
        }));
  return {
    tenantId,
    subscriptionId,
    status: state.status,
    nextCycleDate: state.status === 'canceled' ? null : cycleDate(state.cyclePlan, state.nextCycle),
    cycles: [
      ...state.cycles.map(({ orderId: _o, invoices: _i, jobKinds: _k, ...view }) => view),
      ...upcoming,
    ],
  };
}
