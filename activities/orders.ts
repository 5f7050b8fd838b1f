import { recordOrderStep, updateOrderStatus } from '../db/orders.js';
import { addMoney } from '../domain/money.js';
import { customerDisplayName } from '../domain/names.js';
import { orderKind, orderKinds, subtotalOfKind } from '../domain/order.js';
import { enabledSettingsForKind } from '../domain/settings.js';
import { allocateTax } from '../domain/tax-allocation.js';
import type { KindPlan, LineKind, OrderRef, OrderSyncActivities, SyncPlan } from './contracts.js';
import { type ActivityDeps, loadStoredOrder, loadTenantOrFail, tenantSettings } from './deps.js';

export function createOrderActivities(
  deps: ActivityDeps,
): Pick<OrderSyncActivities, 'loadSyncPlan' | 'setOrderStatus'> {
  return {
    /**
     * Reads the order and the tenant's current settings at the start of every attempt, so a retry
     * after an operator fixed the settings uses the fix.
     */
    async loadSyncPlan({ tenantId, orderId }: OrderRef): Promise<SyncPlan> {
      const { order, cycle } = await loadStoredOrder(deps, tenantId, orderId);
      const tenant = await loadTenantOrFail(deps, tenantId);
      const settings = tenantSettings(tenant);
      const kinds = orderKinds(order);
      const taxShares = allocateTax(
        order.tax,
        kinds.map((kind) => ({ kind, subtotal: subtotalOfKind(order, kind) })),
      );
      const planned: KindPlan[] = [];
      const skippedKinds: LineKind[] = [];
      for (const kind of kinds) {
        const kindSettings = enabledSettingsForKind(settings, kind);
        if (!kindSettings) {
          skippedKinds.push(kind);
          continue;
        }
        const taxShare = taxShares.get(kind) ?? '0.00';
        planned.push({
          kind,
          settings: kindSettings,
          taxShare,
          expectedTotal: addMoney(subtotalOfKind(order, kind), taxShare),
        });
      }
      await recordOrderStep(deps.db, tenantId, orderId, 'settings', {
        state: 'done',
        detail: planned.length
          ? `syncing ${planned.map((k) => k.kind).join(' and ')}`
          : 'every kind of this order is switched off',
      });
      return {
        orderNumber: order.number,
        customerName: customerDisplayName(order.customer.firstName, order.customer.lastName),
        orderKind: orderKind(order),
        timeZone: tenant.timeZone,
        kinds: planned,
        skippedKinds,
        paymentTypeId: settings.paymentTypeId,
        // A kind that is switched off is not invoiced, so only the synced kinds are paid in ServiceTitan.
        paymentAmount: planned.reduce((sum, k) => addMoney(sum, k.expectedTotal), '0.00'),
        createCustomers: settings.customers.createCustomers,
        createLocations: settings.customers.createLocations,
        subscriptionId: order.subscription?.id ?? null,
        subscriptionCycle: cycle,
      };
    },

    async setOrderStatus({ tenantId, orderId, status, error }) {
      await updateOrderStatus(deps.db, tenantId, orderId, {
        status,
        lastError: error ? error.message : status === 'synced' || status === 'syncing' ? null : undefined,
        lastErrorType: error ? error.type : status === 'synced' || status === 'syncing' ? null : undefined,
      });
    },
  };
}
