import type { FastifyInstance } from 'fastify';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, containsCi, dateRangeFilter, sortItems } from './query.js';
import type { Campaign } from './state.js';

// Marketing campaigns (read-only). Every job needs one; the seed has "Contractor Commerce".

function campaignResponse(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    modifiedOn: c.modifiedOn,
    createdOn: c.createdOn,
    active: c.active,
    isDefaultCampaign: c.isDefaultCampaign,
    category: c.category ? { ...c.category } : null,
    source: c.source,
    otherSource: null,
    businessUnit: c.businessUnit,
    medium: c.medium,
    otherMedium: null,
    campaignPhoneNumbers: [...c.campaignPhoneNumbers],
  };
}

export function registerMarketingRoutes(app: FastifyInstance, _ctx: SandboxContext): void {
  const api = apiRouter(app, 'marketing');

  api.get('/campaigns', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const name = q.string('name');
    const phone = q.string('campaignPhoneNumber');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.campaigns.values()].filter(
      (c) =>
        (!ids || ids.has(c.id)) &&
        containsCi(c.name, name) &&
        (phone === undefined || c.campaignPhoneNumbers.includes(phone)) &&
        active(c.active) &&
        inRange(c),
    );
    const sorted = sortItems(matches, q.string('sort'), {
      ...COMMON_SORT,
      Name: (c) => c.name.toLowerCase(),
    });
    return paginate(sorted, paging, campaignResponse);
  });

  api.get('/campaigns/{id}', (req) =>
    campaignResponse(found(tenantOf(req).campaigns, pathId(req), 'Campaign')),
  );
}
