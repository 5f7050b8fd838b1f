import type { FastifyInstance } from 'fastify';
import { apiRouter, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { notFound } from './errors.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, containsCi, dateRangeFilter, sortItems } from './query.js';
import type { GlAccount, PaymentType } from './state.js';

// Accounting lookups: payment types and GL accounts (read-only).

/**
 * ST's API has no Cash flag on payment types (only id and name); its UI does. The sandbox records the
 * flag in its seed and shows it as the extra field `cashAttribute`, which ST clients ignore.
 */
function paymentTypeResponse(p: PaymentType) {
  return {
    id: p.id,
    name: p.name,
    modifiedOn: p.modifiedOn,
    createdOn: p.createdOn,
    cashAttribute: p.cashAttribute,
  };
}

function glAccountResponse(gl: GlAccount) {
  return {
    id: gl.id,
    name: gl.name,
    number: gl.number,
    description: gl.description,
    type: gl.type,
    subtype: gl.subtype,
    active: gl.active,
    isIntacctGroup: gl.isIntacctGroup,
    isIntacctBankAccount: gl.isIntacctBankAccount,
    source: gl.source,
    defaultAccountType: gl.defaultAccountType,
    createdOn: gl.createdOn,
    modifiedOn: gl.modifiedOn,
  };
}

function lowerSet(values: string[] | undefined): Set<string> | undefined {
  return values ? new Set(values.map((v) => v.toLowerCase())) : undefined;
}

export function registerAccountingLookupRoutes(app: FastifyInstance, _ctx: SandboxContext): void {
  const api = apiRouter(app, 'accounting');

  api.get('/payment-types', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.paymentTypes.values()].filter(
      (p) => (!ids || ids.has(p.id)) && active(p.active) && inRange(p),
    );
    return paginate(sortItems(matches, undefined, COMMON_SORT), paging, paymentTypeResponse);
  });

  api.get('/payment-types/{id}', (req) => {
    const id = pathId(req);
    const type = tenantOf(req).paymentTypes.get(id);
    if (!type) throw notFound(`Payment type with id ${id} was not found.`, 'id');
    return paymentTypeResponse(type);
  });

  api.get('/gl-accounts', (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const ids = q.ids('ids');
    const names = lowerSet(q.list('names'));
    const numbers = lowerSet(q.list('numbers'));
    const types = lowerSet(q.list('types'));
    const subtypes = lowerSet(q.list('subtypes'));
    const description = q.string('description');
    const source = q.enumValue('source', [
      'Undefined',
      'AccountingSystem',
      'ManuallyCreated',
      'PublicApi',
    ] as const);
    const isIntacctGroup = q.bool('isIntacctGroup');
    const isIntacctBankAccount = q.bool('isIntacctBankAccount');
    const active = q.active();
    const inRange = dateRangeFilter(q);
    const matches = [...tenant.glAccounts.values()].filter(
      (gl) =>
        (!ids || ids.has(gl.id)) &&
        (!names || names.has(gl.name.toLowerCase())) &&
        (!numbers || numbers.has(gl.number.toLowerCase())) &&
        (!types || types.has(gl.type.toLowerCase())) &&
        (!subtypes || subtypes.has((gl.subtype ?? '').toLowerCase())) &&
        containsCi(gl.description, description) &&
        (source === undefined || gl.source === source) &&
        (isIntacctGroup !== true || gl.isIntacctGroup) &&
        (isIntacctBankAccount !== true || gl.isIntacctBankAccount) &&
        active(gl.active) &&
        inRange(gl),
    );
    const sorted = sortItems(matches, q.string('sort'), {
      ...COMMON_SORT,
      Name: (gl) => gl.name.toLowerCase(),
      Number: (gl) => gl.number,
    });
    return paginate(sorted, paging, glAccountResponse);
  });

  api.get('/gl-accounts/{accountId}', (req) => {
    const id = pathId(req, 'accountId');
    const gl = tenantOf(req).glAccounts.get(id);
    // ST answers 404 for inactive accounts on this route.
    if (!gl?.active) throw notFound(`GL account with id ${id} was not found.`, 'accountId');
    return glAccountResponse(gl);
  });
}
