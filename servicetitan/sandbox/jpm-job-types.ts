import type { FastifyInstance } from 'fastify';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { readExternalData, readGuidParam } from './external-data.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, containsCi, dateRangeFilter, sortItems } from './query.js';
import type { JobCancelReason, JobType } from './state.js';

// Job types (with the business units they are allowed for) and the job cancel reason catalogue.

function jobTypeResponse(t: JobType, guid: string | undefined) {
  return {
    id: t.id,
    name: t.name,
    businessUnitIds: [...t.businessUnitIds],
    skills: [...t.skills],
    tagTypeIds: [...t.tagTypeIds],
    priority: t.priority,
    duration: t.duration,
    soldThreshold: null,
    class: t.class,
    summary: t.summary,
    noCharge: t.noCharge,
    enforceRecurringServiceEventSelection: false,
    invoiceSignaturesRequired: t.invoiceSignaturesRequired,
    modifiedOn: t.modifiedOn,
    createdOn: t.createdOn,
    // Job type externalData is only writable through POST/PATCH /job-types, which the sandbox does not offer.
    externalData: readExternalData({}, guid),
    active: t.active,
    isSmartDispatched: t.isSmartDispatched,
  };
}

function cancelReasonResponse(r: JobCancelReason) {
  return { id: r.id, name: r.name, active: r.active, createdOn: r.createdOn, modifiedOn: r.modifiedOn };
}

export function registerJobTypeRoutes(app: FastifyInstance, _ctx: SandboxContext): void {
  const api = apiRouter(app, 'jpm');

  api.get('/job-types', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const guid = readGuidParam(q);
    const ids = q.ids('ids');
    const name = q.string('name');
    const priority = q.string('priority');
    const minDuration = q.int('minDuration');
    const maxDuration = q.int('maxDuration');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const orderBy = q.enumValue('orderBy', ['id', 'modifiedOn', 'createdOn'] as const) ?? 'id';
    const direction =
      q.enumValue('orderByDirection', ['asc', 'ascending', 'desc', 'descending'] as const) ?? 'asc';
    const matches = [...tenant.jobTypes.values()].filter(
      (t) =>
        (!ids || ids.has(t.id)) &&
        containsCi(t.name, name) &&
        (priority === undefined || t.priority.toLowerCase() === priority.toLowerCase()) &&
        (minDuration === undefined || t.duration >= minDuration) &&
        (maxDuration === undefined || t.duration <= maxDuration) &&
        active(t.active) &&
        inRange(t),
    );
    const sign = direction.startsWith('desc') ? -1 : 1;
    matches.sort((a, b) => {
      const ka = orderBy === 'id' ? a.id : a[orderBy];
      const kb = orderBy === 'id' ? b.id : b[orderBy];
      return (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id) * sign;
    });
    return paginate(matches, paging, (t) => jobTypeResponse(t, guid));
  });

  api.get('/job-types/{id}', (req) => {
    const jobType = found(tenantOf(req).jobTypes, pathId(req), 'Job type');
    return jobTypeResponse(jobType, readGuidParam(queryOf(req)));
  });

  api.get('/job-cancel-reasons', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    // Unlike most lists, ST returns active and inactive cancel reasons by default.
    const active = q.active('Any');
    const ids = q.ids('ids');
    const matches = [...tenant.jobCancelReasons.values()].filter(
      (r) => (!ids || ids.has(r.id)) && active(r.active),
    );
    const sorted = sortItems(matches, q.string('sort'), {
      ...COMMON_SORT,
      Name: (r) => r.name.toLowerCase(),
    });
    return paginate(sorted, paging, cancelReasonResponse);
  });
}
