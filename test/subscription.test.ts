import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app.js';
import { cycleDate } from '../domain/cycles.js';
import { sampleOrder } from '../domain/sample-order.js';
import { type SubscriptionSchedule, subscriptionWorkflowId } from '../workflows/subscription-definitions.js';
import { recordHistory } from './helpers/histories.js';
import { createOrderSyncHarness, type OrderSyncHarness } from './helpers/order-sync-harness.js';
import { createTimeSkippingEnvironment } from './helpers/temporal.js';
import { waitFor } from './helpers/wait-for.js';

let env: TestWorkflowEnvironment;
let h: OrderSyncHarness;
let n = 0;

// Each test gets its own time-skipping server: time is global to a server, and a subscription left
// from an earlier test would react to every later jump (one left after a cancel even stalled them).
beforeEach(async () => {
  env = await createTimeSkippingEnvironment();
  h = await createOrderSyncHarness('subscriptions', {
    temporal: { client: env.client, nativeConnection: env.nativeConnection, close: async () => {} },
  });
});
afterEach(async () => {
  await h?.close();
  await env?.teardown();
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

  it('keeps a subscription started on the 31st on the month end, then back on the 31st', async () => {
    const start = await today();
    const startsAt = `${start.slice(0, 4)}-${start.slice(5, 7) === '12' ? '12' : start.slice(5, 7)}-31`;
    const anchor = startsAt < start ? `${Number(start.slice(0, 4)) + 1}-01-31` : startsAt;
    await advanceTo(anchor);
    const sub = await startSubscription({ interval: 'month', intervalCount: 1, startsAt: anchor });
    await advanceTo(cycleDate(sub.plan, 3));
    const withJobs = (x: SubscriptionSchedule) => x.cycles.filter((c) => c.jobIds.length > 0);
    const schedule = await waitFor(sub.schedule, (x) => withJobs(x).length >= 3);
    const dates = schedule.cycles.filter((c) => c.cycle <= 3).map((c) => c.date);
    expect(dates).toEqual([1, 2, 3].map((c) => cycleDate(sub.plan, c)));
    expect(dates.some((d) => !d.endsWith('-31'))).toBe(true);
    expect(dates.some((d) => d.endsWith('-31'))).toBe(true);
  });

  it('runs a yearly plan over five years', async () => {
    const sub = await startSubscription({ interval: 'year', intervalCount: 1 });
    await advanceTo(cycleDate(sub.plan, 5));
    const withJobs = (x: SubscriptionSchedule) => x.cycles.filter((c) => c.jobIds.length > 0);
    const schedule = await waitFor(sub.schedule, (x) => withJobs(x).length === 5);
    expect(withJobs(schedule).map((c) => c.date)).toEqual([1, 2, 3, 4, 5].map((c) => cycleDate(sub.plan, c)));
  });

  it('creates nothing while paused across two cycles, then resumes with the next cycle', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 1 });
    await sub.handle.signal('pause');
    await waitFor(sub.schedule, (x) => x.status === 'paused');
    // The day after cycle 2: both cycle dates passed while paused.
    await advanceTo(
      new Date(Date.parse(`${cycleDate(sub.plan, 2)}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
    );
    expect((await sub.schedule()).cycles.filter((c) => c.state === 'job_created')).toHaveLength(0);
    await sub.handle.signal('resume');
    await advanceTo(cycleDate(sub.plan, 3));
    const schedule = await waitFor(sub.schedule, (x) =>
      x.cycles.some((c) => c.cycle === 3 && c.jobIds.length > 0),
    );
    expect(schedule.cycles.filter((c) => c.cycle <= 2).map((c) => c.state)).toEqual(['skipped', 'skipped']);
    await recordHistory(sub.handle, 'subscription-paused-and-resumed');
  });

  it('skips the next cycle on request and creates the one after', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 3 });
    await sub.handle.signal('skipNext');
    await advanceTo(cycleDate(sub.plan, 2));
    const schedule = await waitFor(sub.schedule, (x) =>
      x.cycles.some((c) => c.cycle === 2 && c.state === 'job_created'),
    );
    expect(schedule.cycles.find((c) => c.cycle === 1)?.state).toBe('skipped');
  });

  it('cancels at once while waiting: no further jobs, and the job of a cycle not yet reached is canceled', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 1 });
    const date = cycleDate(sub.plan, 1);
    // Inside the lead time: cycle 1's job exists but its date has not come.
    const leadDay = new Date(Date.parse(`${date}T12:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
    await advanceTo(leadDay);
    const before = await waitFor(sub.schedule, (x) =>
      x.cycles.some((c) => c.cycle === 1 && c.state === 'job_created'),
    );
    const jobIds = before.cycles.find((c) => c.cycle === 1)?.jobIds ?? [];
    await sub.handle.signal('cancel', { reason: 'moving away' });
    // Polled rather than awaited: the time-skipping client's result() leaves time skipping locked
    // for the tests that follow.
    await waitFor(
      () => sub.handle.describe(),
      (d) => d.status.name === 'COMPLETED',
    );
    const result = await sub.schedule();
    expect(result.status).toBe('canceled');
    expect(result.cycles.find((c) => c.cycle === 1)?.state).toBe('canceled');
    const [job] = await h.st.jpm.jobs.listAll({ ids: jobIds });
    expect(job?.jobStatus).toBe('Canceled');
  });

  it('holds a renewal that arrives before its job, ignores a duplicate, and records one payment', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 1 });
    const renewal = (cycle: number) => ({
      subscriptionId: sub.subscriptionId,
      orderId: sub.order.id,
      cycle,
      chargedAt: `${cycleDate(sub.plan, cycle)}T12:00:00Z`,
      payment: { id: `pay_${sub.subscriptionId}_${cycle}`, amount: sub.order.total },
    });
    await sub.handle.signal('renewed', renewal(1));
    await sub.handle.signal('renewed', renewal(1));
    await advanceTo(cycleDate(sub.plan, 1));
    const paid = await waitFor(sub.schedule, (x) =>
      x.cycles.some((c) => c.cycle === 1 && c.state === 'paid'),
    );
    await sub.handle.signal('renewed', renewal(1));
    await advanceTo(cycleDate(sub.plan, 2));
    await waitFor(sub.schedule, (x) => x.cycles.some((c) => c.cycle === 2 && c.state !== 'scheduled'));
    const cycle1 = paid.cycles.find((c) => c.cycle === 1);
    const payments = await h.st.accounting.payments.listByInvoices(cycle1?.invoiceIds ?? []);
    expect(payments).toHaveLength(1);
    expect(payments[0]?.memo).toContain(`pay_${sub.subscriptionId}_1`);
  });

  it('marks a cycle whose renewal never came as needing attention, and keeps going', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 1 });
    await advanceTo(cycleDate(sub.plan, 2));
    const schedule = await waitFor(
      sub.schedule,
      (x: SubscriptionSchedule) =>
        x.cycles.some((c) => c.cycle === 1 && c.state === 'needs_attention') &&
        x.cycles.some((c) => c.cycle === 2 && c.jobIds.length > 0),
    );
    expect(schedule.cycles.find((c) => c.cycle === 1)?.note).toMatch(/did not arrive within 3 days/);
    const described = await sub.handle.describe();
    expect(described.searchAttributes.SyncStatus).toEqual(['needs_attention']);
  });

  it('books later cycles at a new service address from the cycle after the change', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 1 });
    await advanceTo(cycleDate(sub.plan, 1));
    const first = await waitFor(sub.schedule, (x) =>
      x.cycles.some((c) => c.cycle === 1 && c.state === 'job_created'),
    );
    await sub.handle.signal('updated', {
      subscriptionId: sub.subscriptionId,
      serviceAddress: {
        street: '77 New Home Dr',
        unit: null,
        city: 'Austin',
        state: 'TX',
        zip: '78745',
        country: 'US',
      },
    });
    await advanceTo(cycleDate(sub.plan, 2));
    const second = await waitFor(sub.schedule, (x) =>
      x.cycles.some((c) => c.cycle === 2 && c.state === 'job_created'),
    );
    const [job1] = await h.st.jpm.jobs.listAll({
      ids: first.cycles.find((c) => c.cycle === 1)?.jobIds ?? [],
    });
    const [job2] = await h.st.jpm.jobs.listAll({
      ids: second.cycles.find((c) => c.cycle === 2)?.jobIds ?? [],
    });
    expect(job2?.customerId).toBe(job1?.customerId);
    expect(job2?.locationId).not.toBe(job1?.locationId);
    const location = await h.st.crm.locations.get(job2?.locationId ?? 0);
    expect(location.address?.street).toBe('77 New Home Dr');
    await recordHistory(sub.handle, 'subscription-address-changed');
  });

  it('shows its schedule and takes operator actions through the API', async () => {
    const sub = await startSubscription({ interval: 'month', intervalCount: 3 });
    const app = await buildApp({
      db: h.db,
      secrets: { seal: (x) => x, open: (x) => x },
      temporal: { client: h.client, namespace: 'default', taskQueue: h.taskQueue },
      apiToken: 'operator-token',
      logger: { level: 'silent' },
    });
    const headers = { authorization: 'Bearer operator-token' };
    const url = `/api/subscriptions/${h.tenantId}/${sub.subscriptionId}`;
    const shown = await app.inject({ method: 'GET', url, headers });
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      workflow: { status: 'RUNNING' },
      schedule: { status: 'active', nextCycleDate: cycleDate(sub.plan, 1) },
    });

    expect((await app.inject({ method: 'POST', url: `${url}/pause`, headers })).statusCode).toBeLessThan(300);
    await waitFor(sub.schedule, (x) => x.status === 'paused');
    expect((await app.inject({ method: 'POST', url: `${url}/resume`, headers })).statusCode).toBeLessThan(
      300,
    );
    expect((await app.inject({ method: 'POST', url: `${url}/skip-next`, headers })).statusCode).toBeLessThan(
      300,
    );
    await advanceTo(cycleDate(sub.plan, 1));
    await waitFor(
      sub.schedule,
      (x) => x.status === 'active' && x.cycles.some((c) => c.cycle === 1 && c.state === 'skipped'),
    );
    const canceled = await app.inject({
      method: 'POST',
      url: `${url}/cancel`,
      headers,
      payload: { reason: 'moving' },
    });
    expect(canceled.statusCode).toBeLessThan(300);
    await waitFor(sub.schedule, (x) => x.status === 'canceled');
    const unknown = await app.inject({
      method: 'GET',
      url: `/api/subscriptions/${h.tenantId}/sub_nope`,
      headers,
    });
    expect(unknown.statusCode).toBe(404);
    await app.close();
  });
});

function nextBusinessDayOrSame(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const shift = day === 6 ? 2 : day === 0 ? 1 : 0;
  return new Date(Date.parse(`${date}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10);
}
