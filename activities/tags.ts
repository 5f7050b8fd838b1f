import { recordOrderStep } from '../db/orders.js';
import type { OrderSyncActivities } from './contracts.js';
import { type ActivityDeps, tenantContext } from './deps.js';

export function createTagActivities(deps: ActivityDeps): Pick<OrderSyncActivities, 'applyTags'> {
  return {
    /** Adds the order's tag types to the customer and the location; tags already there are left alone. */
    async applyTags({ tenantId, orderId, customerId, locationId, tagTypeIds }) {
      const { serviceTitan } = await tenantContext(deps, tenantId);
      const wanted = [...new Set(tagTypeIds)];
      const customer = await serviceTitan.crm.customers.get(customerId);
      let customerTagTypeIds = customer.tagTypeIds ?? [];
      for (const tagTypeId of wanted.filter((id) => !customerTagTypeIds.includes(id))) {
        customerTagTypeIds = (await serviceTitan.crm.customers.addTag(customerId, tagTypeId)).tagTypeIds;
      }
      const location = await serviceTitan.crm.locations.get(locationId);
      let locationTagTypeIds = location.tagTypeIds ?? [];
      for (const tagTypeId of wanted.filter((id) => !locationTagTypeIds.includes(id))) {
        locationTagTypeIds = (await serviceTitan.crm.locations.addTag(locationId, tagTypeId)).tagTypeIds;
      }
      await recordOrderStep(deps.db, tenantId, orderId, 'tags', {
        state: 'done',
        ids: { tagTypeIds: wanted },
      });
      return { customerTagTypeIds, locationTagTypeIds };
    },
  };
}
