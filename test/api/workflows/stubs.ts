// Stand-ins for the real workflows, with the same names, signals and queries, so the operations API
// can be tested against running workflows without ServiceTitan. They keep only the state the API reads.
import { condition, setHandler } from '@temporalio/workflow';
import {
  type OrderSyncInput,
  type OrderSyncStatus,
  retrySignal,
  statusQuery,
} from '../../../workflows/definitions.js';
import {
  cancelSignal,
  pauseSignal,
  resumeSignal,
  type SubscriptionInput,
  type SubscriptionSchedule,
  scheduleQuery,
  skipNextSignal,
} from '../../../workflows/subscription-definitions.js';

/** Parks at once (as after a permanent failure); each `retry` counts as a new attempt. `done-…` orders complete. */
export async function orderSyncWorkflow(input: OrderSyncInput): Promise<{ status: 'synced'; jobs: [] }> {
  const state: OrderSyncStatus = {
    tenantId: input.tenantId,
    orderId: input.orderId,
    status: 'needs_attention',
    attempt: 1,
    steps: {
      settings: { state: 'done' },
      customer: { state: 'failed', detail: 'parked by the test stub' },
    },
    lastError: { type: 'STUB_PARKED', message: 'parked by the test stub' },
    customerCandidates: null,
    waitingFor: 'an operator to fix the cause and send the retry signal',
  };
  setHandler(statusQuery, () => state);
  setHandler(retrySignal, () => {
    state.attempt += 1;
  });
  if (input.orderId.startsWith('done-')) return { status: 'synced', jobs: [] };
  await condition(() => false);
  return { status: 'synced', jobs: [] };
}

/** Answers `schedule`; pause/resume/skipNext change it; cancel ends the workflow. */
export async function subscriptionWorkflow(input: SubscriptionInput): Promise<void> {
  const schedule: SubscriptionSchedule = {
    tenantId: input.tenantId,
    subscriptionId: input.subscriptionId,
    status: 'active',
    nextCycleDate: '2027-03-04',
    cycles: [
      {
        cycle: 1,
        date: '2026-12-04',
        state: 'paid',
        jobIds: [5001],
        invoiceIds: [6001],
        paymentId: 7001,
        note: null,
      },
      {
        cycle: 2,
        date: '2027-03-04',
        state: 'scheduled',
        jobIds: [],
        invoiceIds: [],
        paymentId: null,
        note: null,
      },
    ],
  };
  let canceled = false;
  setHandler(scheduleQuery, () => schedule);
  setHandler(pauseSignal, () => {
    schedule.status = 'paused';
  });
  setHandler(resumeSignal, () => {
    schedule.status = 'active';
  });
  setHandler(skipNextSignal, () => {
    const next = schedule.cycles.find((c) => c.state === 'scheduled');
    if (next) next.state = 'skipped';
    schedule.nextCycleDate = '2027-06-04';
  });
  setHandler(cancelSignal, (options) => {
    schedule.status = 'canceled';
    for (const cycle of schedule.cycles)
      if (cycle.state === 'scheduled') cycle.note = options?.reason ?? null;
    canceled = true;
  });
  await condition(() => canceled);
}
