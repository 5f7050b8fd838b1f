import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRouter, pathId, queryOf, type SandboxContext, tenantOf } from './context.js';
import { badRequest, conflict, notFound } from './errors.js';
import {
  applyExternalDataUpdate,
  createExternalData,
  externalDataCreateSchema,
  externalDataUpdateSchema,
  matchesExternalData,
  readExternalData,
  readExternalDataFilter,
  readGuidParam,
} from './external-data.js';
import { paginate, readPaging } from './paging.js';
import { COMMON_SORT, dateRangeFilter, sortItems } from './query.js';
import type { PricebookItem, PricebookKind, TenantData } from './state.js';
import { parseBody } from './validation.js';

// Pricebook materials, equipment and services. Creates answer 201 and deletes 204 (as ST does);
// codes are unique per item type (409 on a duplicate); GL accounts are named, not referenced by id,
// so names must match an active GL account and are stored exactly as given.

const warranty = z.object({ duration: z.number().int(), description: z.string().nullish() });
const skuLink = z.object({ skuId: z.number().int(), quantity: z.number() });
const asset = z.object({
  type: z.enum(['Image', 'Video', 'Pdf']),
  alias: z.string().nullish(),
  url: z.string(),
  isDefault: z.boolean().nullish(),
});

const common = {
  code: z.string().min(1),
  displayName: z.string().nullish(),
  description: z.string(),
  price: z.number().nullish(),
  memberPrice: z.number().nullish(),
  addOnPrice: z.number().nullish(),
  addOnMemberPrice: z.number().nullish(),
  cost: z.number().nullish(),
  active: z.boolean().nullish(),
  taxable: z.boolean().nullish(),
  hours: z.number().nullish(),
  bonus: z.number().nullish(),
  commissionBonus: z.number().nullish(),
  paysCommission: z.boolean().nullish(),
  unitOfMeasure: z.string().nullish(),
  isInventory: z.boolean().nullish(),
  account: z.string().nullish(),
  costOfSaleAccount: z.string().nullish(),
  assetAccount: z.string().nullish(),
  intacctGlGroupAccount: z.string().nullish(),
  categories: z.array(z.number().int()).nullish(),
  budgetCostCode: z.string().nullish(),
  budgetCostType: z.string().nullish(),
  assets: z.array(asset).nullish(),
  crossSaleGroup: z.string().nullish(),
  // Kind-specific fields, echoed back on read.
  manufacturer: z.string().nullish(),
  model: z.string().nullish(),
  manufacturerWarranty: warranty.nullish(),
  serviceProviderWarranty: warranty.nullish(),
  warranty: warranty.nullish(),
  upgrades: z.array(z.number().int()).nullish(),
  equipmentMaterials: z.array(skuLink).nullish(),
  serviceMaterials: z.array(skuLink).nullish(),
  serviceEquipment: z.array(skuLink).nullish(),
  isConfigurableEquipment: z.boolean().nullish(),
  variationEquipment: z.array(z.number().int()).nullish(),
  dimensions: z
    .object({ height: z.number().nullish(), width: z.number().nullish(), depth: z.number().nullish() })
    .nullish(),
  deductAsJobCost: z.boolean().nullish(),
  isConfigurableMaterial: z.boolean().nullish(),
  chargeableByDefault: z.boolean().nullish(),
  variationMaterials: z.array(z.number().int()).nullish(),
  isOtherDirectCost: z.boolean().nullish(),
  costTypeId: z.number().int().nullish(),
  isLabor: z.boolean().nullish(),
};

// Equipment recommends SKUs with a type; services recommend service ids.
const equipmentRecommendations = z
  .array(z.object({ skuId: z.number().int(), type: z.enum(['Service', 'Material']) }))
  .nullish();
const serviceRecommendations = z.array(z.number().int()).nullish();

function createSchema(kind: PricebookKind) {
  return z.object({
    ...common,
    recommendations: kind === 'equipment' ? equipmentRecommendations : serviceRecommendations,
    externalData: externalDataCreateSchema.nullish(),
  });
}

function updateSchema(kind: PricebookKind) {
  return z.object({
    ...common,
    code: common.code.nullish(),
    description: common.description.nullish(),
    recommendations: kind === 'equipment' ? equipmentRecommendations : serviceRecommendations,
    externalData: externalDataUpdateSchema.nullish(),
  });
}

type CreateBody = z.infer<ReturnType<typeof createSchema>>;
type UpdateBody = z.infer<ReturnType<typeof updateSchema>>;

const EXTRA_FIELDS = [
  'assets',
  'crossSaleGroup',
  'manufacturer',
  'model',
  'manufacturerWarranty',
  'serviceProviderWarranty',
  'warranty',
  'recommendations',
  'upgrades',
  'equipmentMaterials',
  'serviceMaterials',
  'serviceEquipment',
  'isConfigurableEquipment',
  'variationEquipment',
  'dimensions',
  'deductAsJobCost',
  'isConfigurableMaterial',
  'chargeableByDefault',
  'variationMaterials',
  'isOtherDirectCost',
  'costTypeId',
  'isLabor',
] as const;

const KIND_LABEL: Record<PricebookKind, string> = {
  material: 'Material',
  equipment: 'Equipment',
  service: 'Service',
};
const PATHS: Record<PricebookKind, string> = {
  material: '/materials',
  equipment: '/equipment',
  service: '/services',
};

function glAccountId(tenant: TenantData, name: string | null): number | null {
  if (name === null) return null;
  const lower = name.toLowerCase();
  for (const gl of tenant.glAccounts.values()) if (gl.name.toLowerCase() === lower) return gl.id;
  return null;
}

function checkAccounts(
  tenant: TenantData,
  body: Partial<
    Record<
      'account' | 'costOfSaleAccount' | 'assetAccount' | 'intacctGlGroupAccount',
      string | null | undefined
    >
  >,
): void {
  for (const field of ['account', 'costOfSaleAccount', 'assetAccount', 'intacctGlGroupAccount'] as const) {
    const name = body[field];
    if (name == null || name === '') continue;
    const id = glAccountId(tenant, name);
    const gl = id === null ? undefined : tenant.glAccounts.get(id);
    if (!gl) throw badRequest(field, `General ledger account '${name}' was not found.`);
    if (!gl.active) throw badRequest(field, `General ledger account '${name}' is inactive.`);
  }
}

function checkCodeFree(tenant: TenantData, kind: PricebookKind, code: string, exceptId?: number): void {
  const lower = code.toLowerCase();
  for (const item of tenant.pricebook.values()) {
    if (item.kind === kind && item.id !== exceptId && item.code.toLowerCase() === lower) {
      throw conflict(
        `${KIND_LABEL[kind]} code '${code}' is already used by ${KIND_LABEL[kind].toLowerCase()} ${item.id}.`,
        'code',
      );
    }
  }
}

function pickExtras(body: CreateBody | UpdateBody): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const field of EXTRA_FIELDS) if (body[field] !== undefined) extra[field] = body[field];
  return extra;
}

function assetsResponse(extra: Record<string, unknown>) {
  return ((extra.assets as z.infer<typeof asset>[] | null | undefined) ?? []).map((a) => ({
    alias: a.alias ?? null,
    fileName: null,
    isDefault: a.isDefault ?? false,
    type: a.type,
    url: a.url,
  }));
}

function warrantyResponse(value: unknown) {
  const w = value as z.infer<typeof warranty> | null | undefined;
  return { duration: w?.duration ?? 0, description: w?.description ?? null };
}

function links(value: unknown) {
  return ((value as z.infer<typeof skuLink>[] | null | undefined) ?? []).map((l) => ({
    skuId: l.skuId,
    quantity: l.quantity,
  }));
}

function ids(value: unknown): number[] {
  return [...((value as number[] | null | undefined) ?? [])];
}

function baseResponse(item: PricebookItem, guid: string | undefined) {
  return {
    id: item.id,
    code: item.code,
    displayName: item.displayName,
    description: item.description,
    active: item.active,
    price: item.price,
    memberPrice: item.memberPrice,
    addOnPrice: item.addOnPrice,
    addOnMemberPrice: item.addOnMemberPrice,
    paysCommission: item.paysCommission,
    bonus: item.bonus,
    commissionBonus: item.commissionBonus,
    hours: item.hours,
    taxable: item.taxable,
    cost: item.cost,
    account: item.account,
    assets: assetsResponse(item.extra),
    modifiedOn: item.modifiedOn,
    createdOn: item.createdOn,
    source: null,
    externalId: null,
    externalData: readExternalData(item.externalData, guid),
    defaultAssetUrl: null,
    budgetCostCode: item.budgetCostCode,
    budgetCostType: item.budgetCostType,
  };
}

export function pricebookResponse(
  tenant: TenantData,
  item: PricebookItem,
  guid: string | undefined,
): Record<string, unknown> {
  const base = baseResponse(item, guid);
  const x = item.extra;
  const generalLedgerAccountId = glAccountId(tenant, item.account);
  if (item.kind === 'material') {
    return {
      ...base,
      unitOfMeasure: item.unitOfMeasure,
      isInventory: item.isInventory,
      deductAsJobCost: (x.deductAsJobCost as boolean | null | undefined) ?? false,
      costOfSaleAccount: item.costOfSaleAccount,
      assetAccount: item.assetAccount,
      primaryVendor: null,
      otherVendors: [],
      categories: [...item.categories],
      isConfigurableMaterial: (x.isConfigurableMaterial as boolean | null | undefined) ?? false,
      chargeableByDefault: (x.chargeableByDefault as boolean | null | undefined) ?? true,
      variationsOrConfigurableMaterials: ids(x.variationMaterials),
      businessUnitId: null,
      createdById: item.createdById,
      displayInAmount: true,
      generalLedgerAccountId,
      isOtherDirectCost: (x.isOtherDirectCost as boolean | null | undefined) ?? false,
      costTypeId: (x.costTypeId as number | null | undefined) ?? null,
    };
  }
  if (item.kind === 'equipment') {
    return {
      ...base,
      manufacturer: (x.manufacturer as string | null | undefined) ?? null,
      model: (x.model as string | null | undefined) ?? null,
      manufacturerWarranty: warrantyResponse(x.manufacturerWarranty),
      serviceProviderWarranty: warrantyResponse(x.serviceProviderWarranty),
      categories: [...item.categories],
      recommendations: (
        (x.recommendations as { skuId: number; type: string }[] | null | undefined) ?? []
      ).map((r) => ({
        skuId: r.skuId,
        type: r.type,
      })),
      upgrades: ids(x.upgrades),
      equipmentMaterials: links(x.equipmentMaterials),
      primaryVendor: null,
      otherVendors: [],
      costOfSaleAccount: item.costOfSaleAccount,
      assetAccount: item.assetAccount,
      crossSaleGroup: (x.crossSaleGroup as string | null | undefined) ?? null,
      unitOfMeasure: item.unitOfMeasure,
      isInventory: item.isInventory,
      isConfigurableEquipment: (x.isConfigurableEquipment as boolean | null | undefined) ?? false,
      variationsOrConfigurableEquipment: ids(x.variationEquipment),
      typeId: null,
      displayInAmount: true,
      generalLedgerAccountId,
      dimensions: (x.dimensions as Record<string, number | null> | null | undefined) ?? null,
    };
  }
  return {
    ...base,
    warranty: warrantyResponse(x.warranty),
    // The sandbox keeps no category catalogue: categories echo as ids with placeholder names.
    categories: item.categories.map((id) => ({ id, name: `Category ${id}`, active: true })),
    isLabor: (x.isLabor as boolean | null | undefined) ?? false,
    recommendations: ids(x.recommendations),
    upgrades: ids(x.upgrades),
    serviceMaterials: links(x.serviceMaterials),
    serviceEquipment: links(x.serviceEquipment),
    crossSaleGroup: (x.crossSaleGroup as string | null | undefined) ?? null,
    businessUnitId: null,
    soldByCommission: 0,
  };
}

function registerKind(app: FastifyInstance, ctx: SandboxContext, kind: PricebookKind): void {
  const api = apiRouter(app, 'pricebook');
  const path = PATHS[kind];
  const label = KIND_LABEL[kind];
  const create = createSchema(kind);
  const update = updateSchema(kind);

  const get = (tenant: TenantData, id: number): PricebookItem => {
    const item = tenant.pricebook.get(id);
    if (!item || item.kind !== kind) throw notFound(`${label} with id ${id} was not found.`, 'id');
    return item;
  };

  api.get(path, (req) => {
    const tenant = tenantOf(req);
    const q = queryOf(req);
    const paging = readPaging(q);
    const guid = readGuidParam(q);
    const idSet = q.ids('ids');
    const active = q.active();
    const external = readExternalDataFilter(q);
    const inRange = dateRangeFilter(q);
    const searchText = q.string('searchText');
    if (searchText !== undefined && (searchText.length < 2 || searchText.length > 200)) {
      throw badRequest('searchText', 'searchText must be between 2 and 200 characters.');
    }
    const needle = searchText?.toLowerCase();
    const matches = [...tenant.pricebook.values()].filter(
      (item) =>
        item.kind === kind &&
        (!idSet || idSet.has(item.id)) &&
        active(item.active) &&
        (needle === undefined ||
          item.code.toLowerCase().includes(needle) ||
          (item.displayName ?? '').toLowerCase().includes(needle) ||
          item.description.toLowerCase().includes(needle)) &&
        matchesExternalData(item.externalData, external) &&
        inRange(item),
    );
    const sorted = sortItems(matches, q.string('sort'), {
      ...COMMON_SORT,
      Code: (i) => i.code.toLowerCase(),
      DisplayName: (i) => (i.displayName ?? '').toLowerCase(),
      Price: (i) => i.price,
    });
    return paginate(sorted, paging, (item) => pricebookResponse(tenant, item, guid));
  });

  api.get(`${path}/{id}`, (req) => {
    const tenant = tenantOf(req);
    return pricebookResponse(tenant, get(tenant, pathId(req)), readGuidParam(queryOf(req)));
  });

  api.post(path, (req, reply) => {
    const tenant = tenantOf(req);
    const body = parseBody(create, req.body);
    checkCodeFree(tenant, kind, body.code);
    checkAccounts(tenant, body);
    const now = ctx.now();
    const price = body.price ?? 0;
    const item: PricebookItem = {
      id: ctx.nextId(),
      kind,
      code: body.code,
      displayName: body.displayName ?? null,
      description: body.description,
      price,
      memberPrice: body.memberPrice ?? price,
      addOnPrice: body.addOnPrice ?? price,
      addOnMemberPrice: body.addOnMemberPrice ?? price,
      cost: body.cost ?? 0,
      active: body.active ?? true,
      taxable: body.taxable ?? false,
      hours: body.hours ?? 0,
      bonus: body.bonus ?? 0,
      commissionBonus: body.commissionBonus ?? 0,
      paysCommission: body.paysCommission ?? false,
      unitOfMeasure: body.unitOfMeasure ?? null,
      isInventory: body.isInventory ?? false,
      account: body.account ?? null,
      costOfSaleAccount: kind === 'service' ? null : (body.costOfSaleAccount ?? null),
      assetAccount: kind === 'service' ? null : (body.assetAccount ?? null),
      intacctGlGroupAccount: body.intacctGlGroupAccount ?? null,
      categories: [...new Set(body.categories ?? [])],
      budgetCostCode: body.budgetCostCode ?? null,
      budgetCostType: body.budgetCostType ?? null,
      externalData: createExternalData(body.externalData),
      extra: pickExtras(body),
      createdById: 1,
      createdOn: now,
      modifiedOn: now,
    };
    tenant.pricebook.set(item.id, item);
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return reply.code(201).send(pricebookResponse(tenant, item, guid));
  });

  api.patch(`${path}/{id}`, (req) => {
    const tenant = tenantOf(req);
    const item = get(tenant, pathId(req));
    const body = parseBody(update, req.body);
    if (body.code != null) checkCodeFree(tenant, kind, body.code, item.id);
    checkAccounts(tenant, body);
    const scalar = [
      'code',
      'description',
      'price',
      'memberPrice',
      'addOnPrice',
      'addOnMemberPrice',
      'cost',
      'active',
      'taxable',
      'hours',
      'bonus',
      'commissionBonus',
      'paysCommission',
      'isInventory',
    ] as const;
    for (const field of scalar) {
      const value = body[field];
      if (value != null) (item as unknown as Record<string, unknown>)[field] = value;
    }
    const nullable = [
      'displayName',
      'unitOfMeasure',
      'account',
      'intacctGlGroupAccount',
      'budgetCostCode',
      'budgetCostType',
    ] as const;
    for (const field of nullable) if (body[field] !== undefined) item[field] = body[field] ?? null;
    if (kind !== 'service') {
      if (body.costOfSaleAccount !== undefined) item.costOfSaleAccount = body.costOfSaleAccount ?? null;
      if (body.assetAccount !== undefined) item.assetAccount = body.assetAccount ?? null;
    }
    if (body.categories != null) item.categories = [...new Set(body.categories)];
    item.extra = { ...item.extra, ...pickExtras(body) };
    if (body.externalData != null) applyExternalDataUpdate(item.externalData, body.externalData);
    item.modifiedOn = ctx.now();
    const guid = readGuidParam(queryOf(req)) ?? body.externalData?.applicationGuid.toLowerCase();
    return pricebookResponse(tenant, item, guid);
  });

  api.delete(`${path}/{id}`, (req, reply) => {
    const tenant = tenantOf(req);
    const item = get(tenant, pathId(req));
    tenant.pricebook.delete(item.id);
    return reply.code(204).send();
  });
}

export function registerPricebookRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  registerKind(app, ctx, 'material');
  registerKind(app, ctx, 'equipment');
  registerKind(app, ctx, 'service');
}
