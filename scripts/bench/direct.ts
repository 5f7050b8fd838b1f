import type { LineKind } from '../../activities/contracts.js';
import { createOrderSyncActivities } from '../../activities/index.js';
import type { Database } from '../../db/client.js';
import { insertReceivedOrder } from '../../db/orders.js';
import type { SecretBox } from '../../db/secret-box.js';
import { orderKind, orderSchema } from '../../domain/order.js';
import type { BenchOrder } from './orders.js';
import { ProgressBar } from './progress.js';
import type { BenchTenant } from './tenants.js';

/**
 * The direct baseline: the same activity functions the worker runs, called in the workflow's order
 * as plain sequential function calls per order, `concurrency` orders at a time, no Temporal. Same
 * ServiceTitan work, same database writes, same client and rate limiter: what is left between the two
 * figures is what Temporal costs (task round trips, history writes, worker scheduling).
 */
export async function runDirect(options: {
  db: Database;
  secrets: SecretBox;
  tenants: BenchTenant[];
  items: BenchOrder[];
  concurrency: number;
}): Promise<{ seconds: number; e2eMs: number[]; failed: number }> {
  const { db, items } = options;
  const activities = createOrderSyncActivities({ db, secrets: options.secrets });
  const tenantOf = (item: BenchOrder) => options.tenants[item.tenantIndex] as BenchTenant;
  // Stored as the dispatcher stores them, before the clock starts (the Temporal run does this too,
  // inside the API, but it is not ServiceTitan work).
  for (const item of items) {
    const order = orderSchema.parse(item.order);
    await insertReceivedOrder(db, {
      tenantId: tenantOf(item).id,
      orderId: order.id,
      orderNumber: order.number,
      kind: orderKind(order),
      order,
      workflowId: `direct-${order.id}`,
    });
  }

  const syncOne = async (item: BenchOrder) => {
    const ref = { tenantId: tenantOf(item).id, orderId: item.order.id };
    const plan = await activities.loadSyncPlan(ref);
    await activities.setOrderStatus({ ...ref, status: 'syncing' });
    const customer = await activities.resolveCustomer({
      ...ref,
      createCustomers: plan.createCustomers,
      choice: null,
    });
    if (customer.outcome === 'ambiguous') throw new Error(`order ${ref.orderId}: ambiguous customer`);
    const location = await activities.ensureLocation({
      ...ref,
      customerId: customer.customerId,
      knownLocationId: customer.locationId,
      createLocations: plan.createLocations,
    });
    const splits: Array<{ kind: LineKind; invoiceId: number; amount: string }> = [];
    for (const kindPlan of plan.kinds) {
      const { kind, settings } = kindPlan;
      const { skuIdsByLine } = await activities.ensurePricebookItems({ ...ref, kind, settings });
      const job = await activities.createJob({
        ...ref,
        kind,
        settings,
        customerId: customer.customerId,
        locationId: location.locationId,
        timeZone: plan.timeZone,
      });
      await activities.buildInvoice({
        ...ref,
        kind,
        invoiceId: job.invoiceId,
        skuIdsByLine,
        taxShare: kindPlan.taxShare,
        expectedTotal: kindPlan.expectedTotal,
      });
      splits.push({ kind, invoiceId: job.invoiceId, amount: kindPlan.expectedTotal });
    }
    await activities.recordPayment({
      ...ref,
      customerId: customer.customerId,
      paymentTypeId: plan.paymentTypeId,
      splits,
    });
    await activities.applyTags({
      ...ref,
      customerId: customer.customerId,
      locationId: location.locationId,
      tagTypeIds: plan.kinds
        .map((k) => k.settings.tags.oneTimeTagTypeId)
        .filter((id): id is number => typeof id === 'number'),
    });
    await activities.setOrderStatus({ ...ref, status: 'synced' });
  };

  const progress = new ProgressBar('direct baseline', items.length);
  const e2eMs: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const item = items[next++];
      if (!item) return;
      const t0 = performance.now();
      try {
        await syncOne(item);
        e2eMs.push(performance.now() - t0);
      } catch (error) {
        // No Temporal here, so no retries: a failure is counted, not hidden.
        failed += 1;
        process.stderr.write(`\n[bench] direct: ${item.order.id} failed: ${String(error)}\n`);
      }
      progress.update(e2eMs.length + failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, items.length) }, worker));
  progress.finish();
  return { seconds: (performance.now() - started) / 1000, e2eMs, failed };
}
