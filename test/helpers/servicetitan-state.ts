import { ExternalKey, orderJobKey } from '../../activities/external-keys.js';
import type { OrderSyncHarness } from './order-sync-harness.js';

/**
 * What ServiceTitan holds for one order, read back through the client: the customers and locations
 * created for it, its jobs with appointments, technicians, invoices and payments. Tests assert on
 * this, not merely on the workflow's result.
 */
export async function serviceTitanState(h: Pick<OrderSyncHarness, 'st'>, orderId: string) {
  const { st } = h;
  const customers = await st.crm.customers.findByExternalData(ExternalKey.storeOrder, orderId);
  const locations = await st.crm.locations.findByExternalData(ExternalKey.storeOrder, orderId);
  const jobs = await st.jpm.jobs.findByExternalData(ExternalKey.storeJob, [
    orderJobKey(orderId, 'product'),
    orderJobKey(orderId, 'service'),
  ]);
  const appointments = (
    await Promise.all(jobs.map((job) => st.jpm.appointments.listAll({ jobId: job.id })))
  ).flat();
  const assignments = (
    await Promise.all(jobs.map((job) => st.dispatch.appointmentAssignments.listAll({ jobId: job.id })))
  ).flat();
  const invoiceIds = jobs.map((job) => job.invoiceId).filter((id): id is number => typeof id === 'number');
  const invoices = invoiceIds.length ? await st.accounting.invoices.listByIds(invoiceIds) : [];
  const payments = invoiceIds.length ? await st.accounting.payments.listByInvoices(invoiceIds) : [];
  return {
    customers,
    createdCustomers: customers.length,
    locations,
    jobs,
    activeJobs: jobs.filter((job) => job.jobStatus !== 'Canceled'),
    appointments,
    technicianIds: assignments.map((a) => a.technicianId),
    invoices,
    payments: payments.filter((p) => p.active),
  };
}
