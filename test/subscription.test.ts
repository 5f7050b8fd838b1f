import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cycleDate } from '../domain/cycles.js';
import { sampleOrder } from '../domain/sample-order.js';
import { type SubscriptionSchedule, subscriptionWorkflowId } from '../workflows/subscription-definitions.js';
import { createOrderSyncHarness, type OrderSyncHarness } from './helpers/order-sync-harness.js';
import { createTimeSkippingEnvironment } from './helpers/temporal.js';
import { waitFor } from './helpers/wait-for.js';

let env: TestWorkflowEnvironment;
let h: OrderSyncHarness;
let n = 0;

beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
  h = await createOrderSyncHarness('subscriptions', {
    temporal: { client: env.client, nativeConnection: env.nativeConnection, close: async () => {} },
  });
});
afterAll(async () => {
  await h?.close();
  await env?.teardown();
});
beforeEach(async () => {
  await h.reset();
  await h.useSettings(() => {});
});

const today = async () => new Date(await env.currentTimeMs()).toISOString().slice(0, 10);

/** Moves the test server's clock to noon UTC of `date` (timers up to then fire on the way). */
async function advanceTo(date: string) {
  const target = Date.parse(`${date}T12:00:00Z`);
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

async function startSubscription(options: {
  interval: 'week' | 'month' | 'year';
  intervalCount: number;
  startsAt?: string;
}) {
  const id = `ord_s${Date.now().toString(36)}${n++}`;
  const subscriptionId = `sub_${id}`;
  const startsAt = options.startsAt ?? new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
  const order = sampleOrder({
    id,
    placedAt: `${startsAt}T15:00:00Z`,
    preferredDate: null,
    customer: {
      firstName: 'Sub',
      lastName: `Scriber${n}`,
      phone: `(512) 555-${String(2000 + n).padStart(4, '0')}`,
    },
    serviceAddress: { street: `${300 + n} Cycle Ln`, unit: null, zip: '78702' },
    subscription: {
      id: subscriptionId,
      interval: options.interval,
      intervalCount: options.intervalCount,
      startsAt,
    },
  });
  const result = await h.sync(order);
  expect(result.status).toBe('synced');
  const handle = h.client.workflow.getHandle(subscriptionWorkflowId(h.tenantId, subscriptionId));
  const plan = {
    anchorDate: startsAt,
    anchorCycle: 0,
    interval: options.interval,
    intervalCount: options.intervalCount,
  };
  return {
    order,
    subscriptionId,
    handle,
    plan,
    schedule: () => handle.query<SubscriptionSchedule>('schedule'),
  };
}

describe('SubscriptionWorkflow', () => {
  it('turns 12 monthly cycles into 12 jobs on the cycle dates, each paid when its renewal arrives', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 1 });
    for (let cycle = 1; cycle <= 12; cycle += 1) {
      const date = cycleDate(sub.plan, cycle);
      await advanceTo(date);
      const withJob = await waitFor(sub.schedule, (s) =>
        s.cycles.some((c) => c.cycle === cycle && c.state === 'job_created'),
      );
      expect(withJob.cycles.find((c) => c.cycle === cycle)?.date).toBe(date);
      await sub.handle.signal('renewed', {
        subscriptionId: sub.subscriptionId,
        orderId: sub.order.id,
        cycle,
        chargedAt: `${date}T12:00:00Z`,
        payment: { id: `pay_${sub.subscriptionId}_${cycle}`, amount: sub.order.total },
      });
      await waitFor(sub.schedule, (s) => s.cycles.some((c) => c.cycle === cycle && c.state === 'paid'));
    }
    const schedule = await sub.schedule();
    const done = schedule.cycles.filter((c) => c.state === 'paid');
    expect(done.map((c) => c.cycle)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const jobIds = done.flatMap((c) => c.jobIds);
    expect(new Set(jobIds).size).toBe(12);
    for (const cycle of done) {
      const [job] = await h.st.jpm.jobs.listAll({ ids: cycle.jobIds });
      const [appointment] = await h.st.jpm.appointments.listAll({ jobId: job?.id });
      expect(appointment?.start.slice(0, 10)).toBe(nextBusinessDayOrSame(cycle.date));
      const [invoice] = await h.st.accounting.invoices.listByIds(cycle.invoiceIds);
      expect(invoice?.total).toBe(sub.order.total);
      expect(invoice?.balance).toBe('0.00');
    }
    console.log(`[measure] 12 monthly cycles reached ${await today()}`);
  });
});

function nextBusinessDayOrSame(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const shift = day === 6 ? 2 : day === 0 ? 1 : 0;
  return new Date(Date.parse(`${date}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10);
}
