import Big from 'big.js';
import { findLedgerEntry, orderScope, recordLedgerEntry } from '../db/ledger.js';
import {
  findSubscriptionFirstOrder,
  insertReceivedOrder,
  loadOrderRow,
  replaceOrderDocument,
} from '../db/orders.js';
import { addressesMatch } from '../domain/address.js';
import { addMoney, moneyEquals, multiplyMoney, sumMoney } from '../domain/money.js';
import { customerDisplayName } from '../domain/names.js';
import { orderKind, orderLinesSchema, orderSchema, serviceAddressSchema } from '../domain/order.js';
import { SyncErrorType } from '../domain/sync-errors.js';
import type { SubscriptionActivities } from './contracts.js';
import { type ActivityDeps, loadOrder, tenantContext, tenantSettings } from './deps.js';
import { permanentFailure } from './failures.js';
import { recordOrderPayment } from './payments.js';

/** A cycle's order id: the subscription id and the cycle number, stable across retries. */
export const cycleOrderId = (subscriptionId: string, cycle: number) => `${subscriptionId}.cycle-${cycle}`;

export function createSubscriptionActivities(deps: ActivityDeps): Omit<SubscriptionActivities, 'cancelJob'> {
  return {
    /** The plan as the first order set it, with the tenant's lead time and grace period. */
    async loadSubscription({ tenantId, subscriptionId }) {
      const row = await findSubscriptionFirstOrder(deps.db, tenantId, subscriptionId);
      if (!row) {
        // The renewal can arrive before the first order is stored; Temporal retries until it is.
        throw new Error(
          `The order that starts subscription ${subscriptionId} has not been received yet; waiting for it.`,
        );
      }
      const first = orderSchema.parse(row.order);
      const subscription = first.subscription;
      if (!subscription) {
        throw permanentFailure(
          SyncErrorType.SubscriptionNotFound,
          `Order ${first.id} carries no subscription.`,
        );
      }
      const { tenant } = await tenantContext(deps, tenantId);
      const settings = tenantSettings(tenant);
      return {
        firstOrderId: first.id,
        orderNumber: first.number,
        customerName: customerDisplayName(first.customer.firstName, first.customer.lastName),
        timeZone: tenant.timeZone,
        anchorDate: subscription.startsAt,
        interval: subscription.interval,
        intervalCount: subscription.intervalCount,
        leadDays: settings.subscriptions.leadDays,
        renewalGraceDays: settings.subscriptions.renewalGraceDays,
      };
    },

    /**
     * Stores the cycle's order: the first order's customer, the subscription's current lines and
     * service address, booked on the cycle date, taxed at the first order's rate. The customer (and
     * the location, while the address is unchanged) carry over from the first order, so a cycle
     * never matches or creates a customer again.
     */
    async prepareCycleOrder({ tenantId, subscriptionId, firstOrderId, cycle, date, overrides }) {
      const orderId = cycleOrderId(subscriptionId, cycle);
      const existing = await loadOrderRow(deps.db, tenantId, orderId);
      if (existing) return { orderId, total: orderSchema.parse(existing.order).total };

      const first = await loadOrder(deps, tenantId, firstOrderId);
      const lines = overrides.lines ? orderLinesSchema.parse(overrides.lines) : first.lines;
      const serviceAddress = overrides.serviceAddress
        ? serviceAddressSchema.parse(overrides.serviceAddress)
        : first.serviceAddress;
      const subtotal = sumMoney(lines.map((line) => multiplyMoney(line.unitPrice, line.quantity)));
      const taxRate = new Big(first.subtotal).eq(0)
        ? 0
        : Number(new Big(first.tax).div(first.subtotal).toFixed(8));
      const tax = multiplyMoney(subtotal, taxRate);
      const total = addMoney(subtotal, tax);
      const placedAt = new Date().toISOString();
      const order = orderSchema.parse({
        ...first,
        id: orderId,
        number: `${first.number}-${cycle}`,
        placedAt: placedAt < `${date}T00:00:00Z` ? placedAt : `${date}T00:00:00Z`,
        lines,
        serviceAddress,
        subtotal,
        tax,
        total,
        // Replaced by the store's renewal charge when it arrives.
        payment: { id: `renewal-${cycle}`, amount: total, paidAt: placedAt },
        preferredDate: date,
      });

      const firstScope = { tenantId, scope: orderScope(firstOrderId) };
      const cycleScope = { tenantId, scope: orderScope(orderId) };
      const customer = await findLedgerEntry(deps.db, { ...firstScope, step: 'customer' });
      if (customer) {
        await recordLedgerEntry(
          deps.db,
          { ...cycleScope, step: 'customer' },
          {
            stEntityId: customer.stEntityId,
            created: false,
            details: { reason: `the customer of order #${first.number}` },
          },
        );
        const location = await findLedgerEntry(deps.db, { ...firstScope, step: 'location' });
        if (location && addressesMatch(serviceAddress, first.serviceAddress)) {
          await recordLedgerEntry(
            deps.db,
            { ...cycleScope, step: 'location' },
            { stEntityId: location.stEntityId, created: false, details: { customerId: customer.stEntityId } },
          );
        }
      }
      await insertReceivedOrder(deps.db, {
        tenantId,
        orderId,
        orderNumber: order.number,
        kind: orderKind(order),
        order: { ...order, cycleOf: { subscriptionId, cycle } },
        workflowId: `order-sync:${tenantId}:${orderId}`,
      });
      return { orderId, total };
    },

    /**
     * The store charged the renewal: that charge becomes the cycle's ServiceTitan payment. A charge
     * that does not match the cycle's invoices is not recorded; the cycle needs an operator.
     */
    async recordCyclePayment({ tenantId, orderId, renewal, invoices }) {
      const invoiced = sumMoney(invoices.map((invoice) => invoice.amount));
      if (!moneyEquals(invoiced, renewal.amount)) {
        throw permanentFailure(
          SyncErrorType.RenewalAmountMismatch,
          `The store charged ${renewal.amount} for this cycle but its ServiceTitan invoices total ${invoiced}. Adjust the invoice in ServiceTitan (or the charge in the store), then retry the cycle.`,
        );
      }
      const row = await loadOrderRow(deps.db, tenantId, orderId);
      if (!row)
        throw permanentFailure(SyncErrorType.OrderNotFound, `Cycle order ${orderId} was never prepared.`);
      const order = row.order as Record<string, unknown>;
      await replaceOrderDocument(deps.db, tenantId, orderId, {
        ...order,
        payment: { id: renewal.paymentId, amount: renewal.amount, paidAt: renewal.chargedAt },
      });
      const customer = await findLedgerEntry(deps.db, {
        tenantId,
        scope: orderScope(orderId),
        step: 'customer',
      });
      if (!customer)
        throw new Error(`Cycle order ${orderId} has no customer yet; its sync must finish first.`);
      const { tenant } = await tenantContext(deps, tenantId);
      return recordOrderPayment(deps, {
        tenantId,
        orderId,
        customerId: customer.stEntityId,
        paymentTypeId: tenantSettings(tenant).paymentTypeId,
        splits: invoices.map((invoice) => ({
          kind: 'product' as const,
          invoiceId: invoice.invoiceId,
          amount: invoice.amount,
        })),
      });
    },
  };
}
