import type { FastifyInstance } from 'fastify';
import { apiRouter, found, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { readExternalData, readGuidParam } from './external-data.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, containsCi, dateRangeFilter, sortItems } from './query.js';
import type { BusinessUnit, TagType, Technician, TenantData } from './state.js';

// Settings: business units, tag types and technicians (read-only here; tests change them through
// PATCH /_sandbox/entities the way an admin would in ServiceTitan's UI).

function businessUnitResponse(tenant: TenantData, bu: BusinessUnit, guid: string | undefined) {
  return {
    id: bu.id,
    active: bu.active,
    name: bu.name,
    officialName: bu.officialName,
    email: bu.email,
    currency: bu.currency,
    phoneNumber: bu.phoneNumber,
    invoiceHeader: null,
    invoiceMessage: null,
    defaultTaxRate: bu.defaultTaxRate,
    authorizationParagraph: null,
    acknowledgementParagraph: null,
    address: {
      street: null,
      unit: null,
      city: null,
      state: null,
      zip: null,
      country: null,
      latitude: null,
      longitude: null,
      isManualCoordinates: false,
      isMilitary: false,
    },
    materialSku: null,
    quickbooksClass: null,
    accountCode: null,
    franchiseId: null,
    conceptCode: null,
    corporateContractNumber: null,
    trade: null,
    division: null,
    tagTypeIds: [...bu.tagTypeIds],
    tenant: {
      id: tenant.tenantId,
      name: `Sandbox tenant ${tenant.tenantId}`,
      accountCode: null,
      franchiseId: null,
      conceptCode: null,
      modifiedOn: bu.modifiedOn,
    },
    createdOn: bu.createdOn,
    modifiedOn: bu.modifiedOn,
    // BU externalData is only writable through PATCH /business-units, which the sandbox does not offer.
    externalData: readExternalData({}, guid),
  };
}

function tagTypeResponse(t: TagType) {
  return {
    id: t.id,
    name: t.name,
    color: t.color,
    code: t.code,
    importance: t.importance,
    isConversionOpportunity: t.isConversionOpportunity,
    allowToUseOnTimesheetActivity: t.allowToUseOnTimesheetActivity,
    isVisibleOnDispatchBoard: t.isVisibleOnDispatchBoard,
    active: t.active,
    createdOn: t.createdOn,
    modifiedOn: t.modifiedOn,
  };
}

function technicianResponse(t: Technician) {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    roleIds: [],
    businessUnitId: t.businessUnitId,
    mainZoneId: null,
    zoneIds: [],
    createdOn: t.createdOn,
    modifiedOn: t.modifiedOn,
    email: t.email,
    phoneNumber: t.phoneNumber,
    loginName: null,
    home: null,
    dailyGoal: 0,
    isManagedTech: false,
    licenseType: 'NonManagedTech',
    customFields: [],
    active: t.active,
    aadUserId: null,
    burdenRate: 0,
    team: null,
    jobFilter: null,
    permissions: [],
    accountLocked: false,
    commissionRate: 0,
    hourlyRate: 0,
    soldByRate: 0,
    status: 'Idle',
    skills: [],
    positions: ['Service'],
  };
}

export function registerSettingsRoutes(app: FastifyInstance, _ctx: SandboxContext): void {
  const api = apiRouter(app, 'settings');

  api.get('/business-units', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const guid = readGuidParam(q);
    const ids = q.ids('ids');
    const name = q.string('name');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.businessUnits.values()].filter(
      (bu) => (!ids || ids.has(bu.id)) && containsCi(bu.name, name) && active(bu.active) && inRange(bu),
    );
    return paginate(sortItems(matches, undefined, COMMON_SORT), paging, (bu) =>
      businessUnitResponse(tenant, bu, guid),
    );
  });

  api.get('/business-units/{id}', (req) => {
    const tenant = tenantOf(req);
    const bu = found(tenant.businessUnits, pathId(req), 'Business unit');
    return businessUnitResponse(tenant, bu, readGuidParam(queryOf(req)));
  });

  api.get('/tag-types', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.tagTypes.values()].filter((t) => active(t.active) && inRange(t));
    return paginate(
      sortItems(matches, q.string('sort'), { ...COMMON_SORT, Name: (t) => t.name }),
      paging,
      tagTypeResponse,
    );
  });

  api.get('/technicians', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const userIds = q.ids('userIds');
    const name = q.string('name');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.technicians.values()].filter(
      (t) =>
        (!ids || ids.has(t.id)) &&
        (!userIds || userIds.has(t.userId)) &&
        containsCi(t.name, name) &&
        active(t.active) &&
        inRange(t),
    );
    return paginate(sortItems(matches, undefined, COMMON_SORT), paging, technicianResponse);
  });

  api.get('/technicians/{id}', (req) =>
    technicianResponse(found(tenantOf(req).technicians, pathId(req), 'Technician')),
  );
}
