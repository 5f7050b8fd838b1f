import { findLedgerEntry, orderScope, recordLedgerEntry } from '../db/ledger.js';
import { recordOrderStep } from '../db/orders.js';
import { appointmentDate, localDateTimeToUtc } from '../domain/dates.js';
import { linesOfKind, type Order } from '../domain/order.js';
import type { EnabledKindSettings } from '../domain/settings.js';
import { SyncErrorType } from '../domain/sync-errors.js';
import { minutesToClock, timeSpanMinutes } from '../domain/time-span.js';
import type { ServiceTitanClient } from '../servicetitan/client.js';
import type { Job } from '../servicetitan/jpm.js';
import type { JobResult, LineKind, OrderSyncActivities } from './contracts.js';
import { type ActivityDeps, loadOrder, tenantContext } from './deps.js';
import { ExternalKey, orderJobKey } from './external-keys.js';
import { permanentFailure } from './failures.js';

/** Without arrival windows the appointment is booked for the morning: 08:00–12:00 in the tenant's zone. */
const DEFAULT_APPOINTMENT = { start: '08:00', minutes: 240 };

export function createJobActivities(
  deps: ActivityDeps,
): Pick<OrderSyncActivities, 'createJob' | 'cancelJob'> {
  return {
    /**
     * One job per kind of the order, with its appointment (and arrival window) and technician.
     * ServiceTitan creates the job's invoice itself. A job this product canceled during a saga is
     * restored instead of created again, so an order never gets two jobs.
     */
    async createJob({
      tenantId,
      orderId,
      kind,
      settings,
      customerId,
      locationId,
      timeZone,
    }): Promise<JobResult> {
      const ledgerKey = { tenantId, scope: orderScope(orderId), step: `job:${kind}` };
      const { serviceTitan } = await tenantContext(deps, tenantId);
      const record = async (job: Job, created: boolean) => {
        const invoiceId = job.invoiceId;
        if (invoiceId == null)
          throw new Error(`ServiceTitan returned job ${job.id} without an invoice id; retrying.`);
        await recordLedgerEntry(deps.db, ledgerKey, { stEntityId: job.id, created, details: { invoiceId } });
        await recordOrderStep(
          deps.db,
          tenantId,
          orderId,
          `job:${kind}`,
          { state: 'done', ids: { jobId: job.id, invoiceId } },
          { stIds: { [kind]: { jobId: job.id, invoiceId } } },
        );
        return { jobId: job.id, invoiceId, createdByUs: created };
      };

      const known = await findLedgerEntry(deps.db, ledgerKey);
      const existing = known
        ? await serviceTitan.jpm.jobs.get(known.stEntityId)
        : (
            await serviceTitan.jpm.jobs.findByExternalData(ExternalKey.storeJob, orderJobKey(orderId, kind))
          )[0];
      if (existing) {
        if (existing.jobStatus === 'Canceled') await serviceTitan.jpm.jobs.removeCancellation(existing.id);
        return record(existing, known?.created ?? true);
      }

      const order = await loadOrder(deps, tenantId, orderId);
      const appointment = await appointmentFor(serviceTitan, order, settings, timeZone);
      const job = await serviceTitan.jpm.jobs.create({
        customerId,
        locationId,
        businessUnitId: settings.job.businessUnitId,
        jobTypeId: settings.job.jobTypeId,
        campaignId: settings.job.campaignId,
        priority: 'Normal',
        appointments: [appointment],
        summary: jobSummary(order, kind),
        externalData: serviceTitan.externalDataFor(ExternalKey.storeJob, orderJobKey(orderId, kind)),
      });
      return record(job, true);
    },

    async cancelJob({ tenantId, orderId, kind, jobId, reason }) {
      const { serviceTitan } = await tenantContext(deps, tenantId);
      const job = await serviceTitan.jpm.jobs.get(jobId);
      if (job.jobStatus === 'Canceled') return;
      const reasons = await serviceTitan.jpm.jobCancelReasons.listAll({ active: 'True' });
      const chosen = reasons.find((r) => /integration|online|store|commerce/i.test(r.name)) ?? reasons[0];
      if (!chosen) {
        throw permanentFailure(
          SyncErrorType.ServiceTitanRejected,
          `Job ${jobId} should be canceled but ServiceTitan has no active job cancel reason; add one (e.g. "Canceled by integration").`,
        );
      }
      const order = await loadOrder(deps, tenantId, orderId);
      await serviceTitan.jpm.jobs.cancel(jobId, {
        reasonId: chosen.id,
        memo: `Store order #${order.number} (${kind}): ${reason}. The job is restored when the order is retried.`,
      });
      await recordOrderStep(deps.db, tenantId, orderId, `job:${kind}`, {
        state: 'compensated',
        ids: { jobId },
        detail: 'canceled until the retry',
      });
    },
  };
}

async function appointmentFor(
  serviceTitan: ServiceTitanClient,
  order: Order,
  settings: EnabledKindSettings,
  timeZone: string,
) {
  const date = appointmentDate(order.preferredDate, order.placedAt, timeZone);
  const technicianIds = settings.technicianId != null ? [settings.technicianId] : undefined;
  if (!settings.includeArrivalWindows) {
    const start = localDateTimeToUtc(date, DEFAULT_APPOINTMENT.start, timeZone);
    return { start, end: plusMinutes(start, DEFAULT_APPOINTMENT.minutes), technicianIds };
  }
  const windows = (await serviceTitan.dispatch.arrivalWindows.listAll({ active: 'True' }))
    .filter(
      (w) =>
        w.active && (!w.businessUnitIds?.length || w.businessUnitIds.includes(settings.job.businessUnitId)),
    )
    .map((w) => ({ start: timeSpanMinutes(w.start), length: timeSpanMinutes(w.duration) }))
    .filter(
      (w): w is { start: number; length: number } => w.start !== null && w.length !== null && w.length > 0,
    )
    .sort((a, b) => a.start - b.start);
  const [window] = windows;
  if (!window) {
    throw permanentFailure(
      SyncErrorType.ArrivalWindowsNotConfigured,
      `Arrival windows are switched on for ${settings.itemType === 'Service' ? 'service' : 'product'} orders, but ServiceTitan has no active arrival window for business unit ${settings.job.businessUnitId}. Add one in ServiceTitan (Settings > Dispatch > Arrival windows) or switch "includeArrivalWindows" off, then retry.`,
    );
  }
  // The earliest window of the day; the appointment spans exactly the window the customer is promised.
  const start = localDateTimeToUtc(date, minutesToClock(window.start), timeZone);
  const end = plusMinutes(start, window.length);
  return { start, end, arrivalWindowStart: start, arrivalWindowEnd: end, technicianIds };
}

function plusMinutes(isoUtc: string, minutes: number): string {
  return new Date(Date.parse(isoUtc) + minutes * 60_000).toISOString();
}

function jobSummary(order: Order, kind: LineKind): string {
  const lines = linesOfKind(order, kind)
    .map((line) => `${line.quantity} × ${line.name} (${line.sku})`)
    .join('<br>');
  return `Contractor Commerce order #${order.number} (store id ${order.id}), ${kind === 'product' ? 'products' : 'services'}:<br>${lines}`;
}
