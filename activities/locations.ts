import { findLedgerEntry, orderScope, recordLedgerEntry } from '../db/ledger.js';
import { recordOrderStep } from '../db/orders.js';
import { addressesMatch } from '../domain/address.js';
import { customerDisplayName } from '../domain/names.js';
import { SyncErrorType } from '../domain/sync-errors.js';
import type { OrderSyncActivities } from './contracts.js';
import { type ActivityDeps, loadOrder, tenantContext } from './deps.js';
import { ExternalKey } from './external-keys.js';
import { permanentFailure } from './failures.js';
import { describeAddress, fromServiceTitanAddress, toServiceTitanAddress } from './st-address.js';

export function createLocationActivities(deps: ActivityDeps): Pick<OrderSyncActivities, 'ensureLocation'> {
  return {
    /** The customer's location at the order's service address, created when allowed and missing. */
    async ensureLocation({ tenantId, orderId, customerId, knownLocationId, createLocations }) {
      const ledgerKey = { tenantId, scope: orderScope(orderId), step: 'location' };
      const record = async (locationId: number, created: boolean, detail: string) => {
        await recordLedgerEntry(deps.db, ledgerKey, {
          stEntityId: locationId,
          created,
          details: { customerId },
        });
        await recordOrderStep(
          deps.db,
          tenantId,
          orderId,
          'location',
          { state: 'done', ids: { locationId }, detail },
          { stLocationId: locationId },
        );
        return { locationId, created };
      };
      const known = await findLedgerEntry(deps.db, ledgerKey);
      // An operator may have re-pointed the order to another customer since: only reuse a location of this one.
      if (known && (known.details?.customerId === undefined || known.details.customerId === customerId)) {
        return record(
          known.stEntityId,
          known.created,
          known.created ? 'created for this order' : 'matched the service address',
        );
      }
      if (knownLocationId !== null) return record(knownLocationId, true, 'created with the customer');

      const { serviceTitan } = await tenantContext(deps, tenantId);
      const order = await loadOrder(deps, tenantId, orderId);
      const locations = await serviceTitan.crm.locations.listAll({ customerId, active: 'True' });
      const match = locations.find((location) => {
        const address = fromServiceTitanAddress(location.address);
        return address !== null && addressesMatch(address, order.serviceAddress);
      });
      if (match) return record(match.id, false, 'matched the service address');

      // Only on the way to a create: a create whose response was lost left our marker behind.
      const previouslyCreated = (
        await serviceTitan.crm.locations.findByExternalData(ExternalKey.storeOrder, orderId)
      ).find((location) => location.customerId === customerId);
      if (previouslyCreated) return record(previouslyCreated.id, true, 'created by an earlier attempt');

      if (!createLocations) {
        throw permanentFailure(
          SyncErrorType.LocationNotFound,
          `Customer ${customerId} has no location at ${describeAddress(order.serviceAddress)} and creating locations is switched off. Add the location in ServiceTitan, or turn on "createLocations", then retry.`,
        );
      }
      const created = await serviceTitan.crm.locations.create({
        customerId,
        name: customerDisplayName(order.customer.firstName, order.customer.lastName),
        address: toServiceTitanAddress(order.serviceAddress),
        externalData: serviceTitan.externalDataFor(ExternalKey.storeOrder, orderId),
      });
      return record(created.id, true, 'created at the service address');
    },
  };
}
