/**
 * `npm run bench`: throughput, latency, ServiceTitan calls per order and Temporal's overhead, side by
 * side in one run (contracts §7, issue 8). See BENCHMARKS.md for what each figure means and results.
 */
import { randomInt } from 'node:crypto';
import { createDatabase } from '../db/client.js';
import { createSecretBox, parseEncryptionKey } from '../db/secret-box.js';
import { rssSampler } from './bench/child.js';
import { runDirect } from './bench/direct.js';
import { countDuplicateEntities } from './bench/duplicates.js';
import { type Delivery, sendOrders, waitForOrders } from './bench/load.js';
import { minimumCalls, minimumCallsPerOrder } from './bench/minimum-calls.js';
import { type BenchOptions, parseBenchOptions } from './bench/options.js';
import { buildOrders } from './bench/orders.js';
import { say } from './bench/progress.js';
import { type BenchResult, renderTable } from './bench/report.js';
import { diffRequests, SandboxControl } from './bench/sandbox.js';
import { reuseStack, startStack } from './bench/stack.js';
import { percentile, round, sleep } from './bench/stats.js';
import { saveBenchTenants } from './bench/tenants.js';

/** Webhook deliveries in flight during the burst (a store's webhook sender is not unbounded). */
const BURST_SENDERS = 16;

async function main(options: BenchOptions): Promise<BenchResult> {
  const startedAt = Date.now();
  const stack = options.reuse
    ? reuseStack(process.env)
    : await startStack({ concurrency: options.concurrency });
  const database = createDatabase(stack.databaseUrl, { max: 10 });
  try {
    say(`stack ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    const sandbox = new SandboxControl(stack.sandboxUrl);
    await sandbox.configure(options.latencyMs);
    const sandboxTenants = await sandbox.tenants(options.tenants);
    const secrets = createSecretBox(parseEncryptionKey(stack.encryptionKey));
    // Starts with a digit so order numbers (the id without its leading letters) carry the whole tag.
    const runTag = `${randomInt(1, 10)}${randomInt(36 ** 4)
      .toString(36)
      .padStart(4, '0')}`;
    const salt = randomInt(6_000_000);
    const tenants = await saveBenchTenants(database.db, secrets, {
      prefix: `bench-${runTag}`,
      sandboxUrl: stack.sandboxUrl,
      sandboxTenants,
    });
    const stTenantIds = sandboxTenants.map((t) => t.tenantId);
    const tenantIds = tenants.map((t) => t.id);

    const items = buildOrders({ count: options.orders, tenants: options.tenants, runTag, salt });
    // Phases of whole mix periods, so both have the same shape distribution.
    const steadyCount = Math.max(1, Math.floor(options.orders / 20) * 10 || Math.floor(options.orders / 2));
    const steadyItems = items.slice(0, steadyCount);
    const burstItems = items.slice(steadyCount);
    const minPerOrder = minimumCallsPerOrder(items.map((i) => i.shape));
    // 80% of what the limit allows at the minimum calls per order: a busy but sustainable trickle.
    const steadyRate = (0.8 * 60 * options.tenants) / minPerOrder;

    const deliveries = new Map<string, Delivery>();
    const onSent = (d: Delivery) => deliveries.set(d.orderId, d);
    const rss = rssSampler(stack.workerPid);
    await sleep(1100); // an empty rate-limit window before counting
    const before = await sandbox.requests();

    say(`steady phase: ${steadyItems.length} orders at ${steadyRate.toFixed(2)}/s`);
    const steadyStart = Date.now();
    const waitFor = (label: string, list: typeof items) =>
      waitForOrders({
        sql: database.sql,
        tenantIds,
        orderIds: list.map((i) => i.order.id),
        label,
        timeoutMs: 120_000 + list.length * 2_000,
        sent: () => list.filter((i) => deliveries.has(i.order.id)).length,
      });
    const [, steadyDone] = await Promise.all([
      sendOrders({
        apiUrl: stack.apiUrl,
        tenants,
        items: steadyItems,
        mode: { kind: 'steady', perSecond: steadyRate },
        onSent,
      }),
      waitFor('steady phase', steadyItems),
    ]);
    const steadyEnd = Math.max(...[...steadyDone.values()].map((o) => o.syncedAt ?? 0));

    say(`burst phase: ${burstItems.length} orders, ${BURST_SENDERS} deliveries in flight`);
    const burstStart = Date.now();
    const [, burstDone] = await Promise.all([
      sendOrders({
        apiUrl: stack.apiUrl,
        tenants,
        items: burstItems,
        mode: { kind: 'burst', senders: BURST_SENDERS },
        onSent,
      }),
      waitFor('burst phase', burstItems),
    ]);
    const burstEnd = Math.max(...[...burstDone.values()].map((o) => o.syncedAt ?? 0));
    const after = await sandbox.requests();
    rss.stop();
    const calls = diffRequests(before, after);

    // One returning customer's one-line product order alone, to count its calls exactly.
    await sleep(1100);
    const probe = buildOrders({
      count: 1,
      tenants: 1,
      runTag,
      salt,
      start: Math.ceil(options.orders / 10) * 10,
    });
    const probeBefore = await sandbox.requests();
    await Promise.all([
      sendOrders({
        apiUrl: stack.apiUrl,
        tenants,
        items: probe,
        mode: { kind: 'burst', senders: 1 },
        onSent: () => {},
      }),
      waitFor('returning 1-line probe', probe),
    ]);
    const probeCalls = diffRequests(probeBefore, await sandbox.requests());

    const duplicates = await countDuplicateEntities(sandbox, stTenantIds, `${runTag}_`);

    let direct: Awaited<ReturnType<typeof runDirect>> | null = null;
    let directCalls: ReturnType<typeof diffRequests> | null = null;
    let directDuplicates: number | null = null;
    if (options.direct) {
      const directTenants = await saveBenchTenants(database.db, secrets, {
        prefix: `bench-${runTag}-direct`,
        sandboxUrl: stack.sandboxUrl,
        sandboxTenants,
      });
      const directItems = buildOrders({
        count: options.orders,
        tenants: options.tenants,
        runTag: `${runTag}d`,
        salt: (salt + 500_000) % 7_000_000,
      }).slice(steadyCount);
      await sleep(1100);
      const directBefore = await sandbox.requests();
      say(
        `direct baseline: the burst's ${directItems.length} orders, ${options.concurrency} at a time, no Temporal`,
      );
      direct = await runDirect({
        db: database.db,
        secrets,
        tenants: directTenants,
        items: directItems,
        concurrency: options.concurrency,
      });
      directCalls = diffRequests(directBefore, await sandbox.requests());
      directDuplicates = (await countDuplicateEntities(sandbox, stTenantIds, `${runTag}d_`)).total;
    }

    const all = new Map([...steadyDone, ...burstDone]);
    const e2e = (list: typeof items) =>
      list.flatMap((i) => {
        const synced = all.get(i.order.id)?.syncedAt;
        const sent = deliveries.get(i.order.id)?.sentAt;
        return synced != null && sent != null ? [synced - sent] : [];
      });
    const synced = [...all.values()].filter((o) => o.status === 'synced').length;
    const webhookMs = [...deliveries.values()].map((d) => d.webhookMs);
    const stCallsPerOrder = calls.api / options.orders;
    const bound = (60 * options.tenants) / stCallsPerOrder;
    const ordersPerSecond = burstItems.length / ((burstEnd - burstStart) / 1000);
    const directOrdersPerSecond = direct ? direct.e2eMs.length / direct.seconds : null;
    const perRoute = Object.fromEntries(
      Object.entries(calls.byRoute).map(([route, n]) => [route, n / options.orders]),
    );
    return {
      orders: options.orders,
      tenants: options.tenants,
      latencyMs: options.latencyMs,
      ordersPerSecond: round(ordersPerSecond, 2),
      e2eP50Ms: round(percentile(e2e(items), 50), 0),
      e2eP99Ms: round(percentile(e2e(items), 99), 0),
      webhookP50Ms: round(percentile(webhookMs, 50), 1),
      webhookP99Ms: round(percentile(webhookMs, 99), 1),
      stCallsPerOrder: round(stCallsPerOrder, 2),
      minStCallsPerOrder: round(minPerOrder, 2) as number,
      rateLimitBoundOrdersPerSecond: round(bound, 2),
      efficiency: round(ordersPerSecond / bound, 2),
      directOrdersPerSecond: round(directOrdersPerSecond, 2),
      workerRssMb: round(rss.peak(), 0),
      duplicates: duplicates.total,
      temporalOverhead: directOrdersPerSecond ? round(directOrdersPerSecond / ordersPerSecond, 2) : null,
      steadyOrdersPerSecond: round(steadyItems.length / ((steadyEnd - steadyStart) / 1000), 2),
      steadySendRate: round(steadyRate, 2) as number,
      steadyE2eP50Ms: round(percentile(e2e(steadyItems), 50), 0),
      steadyE2eP99Ms: round(percentile(e2e(steadyItems), 99), 0),
      burstE2eP50Ms: round(percentile(e2e(burstItems), 50), 0),
      burstE2eP99Ms: round(percentile(e2e(burstItems), 99), 0),
      tokenCallsPerOrder: round(calls.token / options.orders, 3),
      directStCallsPerOrder:
        direct && directCalls ? round(directCalls.api / (direct.e2eMs.length + direct.failed), 2) : null,
      directDuplicates,
      returningOneLineCalls: probeCalls.api,
      returningOneLineMinCalls: minimumCalls['returning-product'],
      notSynced: options.orders - synced,
      callsByRoute: perRoute,
    };
  } finally {
    await database.close().catch(() => {});
    say('stopping the stack…');
    await stack.teardown();
  }
}

const options = parseBenchOptions(process.argv.slice(2));
main(options)
  .then((result) => {
    process.stdout.write(renderTable(result));
    if (options.json) process.stdout.write(`\n${JSON.stringify(result)}\n`);
    // Child handles (the Temporal test environment's native runtime) must not keep the process alive.
    process.exit(result.duplicates === 0 ? 0 : 1);
  })
  .catch((error) => {
    process.stderr.write(`\n[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
