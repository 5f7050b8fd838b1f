import { z } from 'zod';
import { type ApiContext, asQuery, type CallOptions } from './api-context.js';
import {
  type ActiveFilter,
  type ChangeRangeQuery,
  decimalInputSchema,
  idSchema,
  parseRequest,
} from './common.js';
import {
  type ExternalDataQuery,
  externalDataCreateSchema,
  externalDataFilter,
  externalDataListSchema,
  externalDataUpdateSchema,
} from './external-data.js';
import type { ServiceTitanModule } from './http.js';
import { type PagedList, type PageQuery, pagedList, pageSchema } from './paging.js';

// pricebook-v2.json: materials, equipment, services. Creates answer 201. Pricebook money is JSON
// numbers both ways; requests also accept decimal strings ("24.99") so store prices pass straight in.

/** Fields every SKU kind shares, as read. */
const skuBaseShape = {
  id: idSchema,
  code: z.string(),
  displayName: z.string().nullish(),
  /** HTML. */
  description: z.string().nullish(),
  active: z.boolean(),
  price: z.number().nullish(),
  memberPrice: z.number().nullish(),
  addOnPrice: z.number().nullish(),
  addOnMemberPrice: z.number().nullish(),
  cost: z.number().nullish(),
  hours: z.number().nullish(),
  taxable: z.boolean().nullish(),
  /** GL account *name* (what the accounting settings choose). */
  account: z.string().nullish(),
  businessUnitId: idSchema.nullish(),
  source: z.string().nullish(),
  externalId: z.string().nullish(),
  createdOn: z.string().nullish(),
  modifiedOn: z.string().nullish(),
  externalData: externalDataListSchema,
};

export const materialSchema = z.looseObject({
  ...skuBaseShape,
  costOfSaleAccount: z.string().nullish(),
  assetAccount: z.string().nullish(),
  /** Read-only: ServiceTitan resolves it from `account`. */
  generalLedgerAccountId: idSchema.nullish(),
  unitOfMeasure: z.string().nullish(),
  isInventory: z.boolean().nullish(),
  chargeableByDefault: z.boolean().nullish(),
  categories: z.array(idSchema).nullish(),
});
export type Material = z.infer<typeof materialSchema>;

export const equipmentSchema = z.looseObject({
  ...skuBaseShape,
  costOfSaleAccount: z.string().nullish(),
  assetAccount: z.string().nullish(),
  generalLedgerAccountId: idSchema.nullish(),
  manufacturer: z.string().nullish(),
  model: z.string().nullish(),
  unitOfMeasure: z.string().nullish(),
  isInventory: z.boolean().nullish(),
  categories: z.array(idSchema).nullish(),
});
export type Equipment = z.infer<typeof equipmentSchema>;

export const serviceSchema = z.looseObject({
  ...skuBaseShape,
  isLabor: z.boolean().nullish(),
  /** Objects on services (`{ id, name, active }`), plain ids on materials and equipment. */
  categories: z
    .array(z.union([idSchema, z.looseObject({ id: idSchema, name: z.string().nullish() })]))
    .nullish(),
});
export type Service = z.infer<typeof serviceSchema>;

/** Create fields every SKU kind shares (`code` and `description` are required by ServiceTitan). */
const skuCreateShape = {
  code: z.string().min(1),
  displayName: z.string().optional(),
  /** HTML; required. */
  description: z.string().min(1),
  active: z.boolean().optional(),
  price: decimalInputSchema.optional(),
  memberPrice: decimalInputSchema.optional(),
  addOnPrice: decimalInputSchema.optional(),
  addOnMemberPrice: decimalInputSchema.optional(),
  hours: decimalInputSchema.optional(),
  bonus: decimalInputSchema.optional(),
  commissionBonus: decimalInputSchema.optional(),
  paysCommission: z.boolean().optional(),
  taxable: z.boolean().optional(),
  /** GL account by name. */
  account: z.string().optional(),
  /** "Intacct GL Group Name" in the UI. */
  intacctGlGroupAccount: z.string().optional(),
  categories: z.array(idSchema).optional(),
  externalData: externalDataCreateSchema.optional(),
  budgetCostCode: z.string().optional(),
  budgetCostType: z.string().optional(),
};

export const materialCreateSchema = z.object({
  ...skuCreateShape,
  cost: decimalInputSchema.optional(),
  costOfSaleAccount: z.string().optional(),
  assetAccount: z.string().optional(),
  unitOfMeasure: z.string().optional(),
  isInventory: z.boolean().optional(),
  deductAsJobCost: z.boolean().optional(),
  chargeableByDefault: z.boolean().optional(),
});
export type MaterialCreate = z.input<typeof materialCreateSchema>;

export const equipmentCreateSchema = z.object({
  ...skuCreateShape,
  cost: decimalInputSchema.optional(),
  costOfSaleAccount: z.string().optional(),
  assetAccount: z.string().optional(),
  unitOfMeasure: z.string().optional(),
  isInventory: z.boolean().optional(),
  manufacturer: z.string().optional(),
  model: z.string().optional(),
});
export type EquipmentCreate = z.input<typeof equipmentCreateSchema>;

export const serviceCreateSchema = z.object({
  ...skuCreateShape,
  isLabor: z.boolean().optional(),
});
export type ServiceCreate = z.input<typeof serviceCreateSchema>;

/** PATCH bodies: every create field optional, externalData as the update model. */
export const materialUpdateSchema = materialCreateSchema
  .partial()
  .extend({ externalData: externalDataUpdateSchema.optional() });
export type MaterialUpdate = z.input<typeof materialUpdateSchema>;
export const equipmentUpdateSchema = equipmentCreateSchema
  .partial()
  .extend({ externalData: externalDataUpdateSchema.optional() });
export type EquipmentUpdate = z.input<typeof equipmentUpdateSchema>;
export const serviceUpdateSchema = serviceCreateSchema
  .partial()
  .extend({ externalData: externalDataUpdateSchema.optional() });
export type ServiceUpdate = z.input<typeof serviceUpdateSchema>;

export interface SkuListQuery extends PageQuery, ChangeRangeQuery, ExternalDataQuery {
  ids?: readonly number[];
  active?: ActiveFilter;
  /** Case-insensitive partial match on display name, code and description. */
  searchText?: string;
  /** `+Code`, `-ModifiedOn`, `+Price`… */
  sort?: string;
}

export interface SkuGetOptions extends CallOptions {
  /** Also return our externalData (sends the client's application GUID). */
  withExternalData?: boolean;
}

/** The operations one SKU kind offers. */
export interface SkuApi<T extends { code: string; active: boolean }, C, U>
  extends PagedList<SkuListQuery, T> {
  /**
   * Items whose code equals `code` (ignoring case and surrounding spaces; ServiceTitan has no exact
   * code filter, so this searches with `searchText` and compares here). Active items and exact-case
   * matches come first.
   */
  findByCode(code: string, options?: CallOptions & { active?: ActiveFilter }): Promise<T[]>;
  /** Items carrying our externalData `key` with any of `values` (inactive ones included). */
  findByExternalData(key: string, values: string | readonly string[], options?: CallOptions): Promise<T[]>;
  get(id: number, options?: SkuGetOptions): Promise<T>;
  /** Creates the item (201). */
  create(body: C, options?: CallOptions): Promise<T>;
  update(id: number, body: U, options?: CallOptions): Promise<T>;
}

function createSkuApi<
  I extends z.ZodType<{ id: number; code: string; active: boolean }>,
  CS extends z.ZodType,
  US extends z.ZodType,
>(
  { http, applicationGuid }: ApiContext,
  resource: 'materials' | 'equipment' | 'services',
  noun: string,
  schemas: { item: I; create: CS; update: US },
): SkuApi<z.output<I>, z.input<CS>, z.input<US>> {
  const module: ServiceTitanModule = 'pricebook';
  const pageOf = pageSchema(schemas.item);
  const list = pagedList<SkuListQuery, z.output<I>>(
    `GET /pricebook/v2/tenant/{tenant}/${resource}`,
    (query, options) =>
      http.request(
        {
          method: 'GET',
          module,
          path: resource,
          query: asQuery(query),
          subject: `the ${noun} search`,
          ...options,
        },
        pageOf,
      ),
  );

  return {
    ...list,

    async findByCode(code, options) {
      const wanted = code.trim();
      const matches: z.output<I>[] = [];
      for await (const item of list.iterate(
        { searchText: wanted, active: options?.active ?? 'Any' },
        options,
      )) {
        if (item.code.trim().toLowerCase() === wanted.toLowerCase()) matches.push(item);
      }
      const rank = (item: z.output<I>) => (item.active ? 0 : 2) + (item.code.trim() === wanted ? 0 : 1);
      return matches.sort((a, b) => rank(a) - rank(b));
    },

    async findByExternalData(key, values, options) {
      return list.listAll({ ...externalDataFilter(applicationGuid, key, values), active: 'Any' }, options);
    },

    async get(id, options) {
      return http.request(
        {
          method: 'GET',
          module,
          path: `${resource}/{id}`,
          pathParams: { id },
          query: { externalDataApplicationGuid: options?.withExternalData ? applicationGuid : undefined },
          subject: `${noun} ${id}`,
          signal: options?.signal,
        },
        schemas.item,
      );
    },

    async create(body, options) {
      const operation = `POST /pricebook/v2/tenant/{tenant}/${resource}`;
      return http.request(
        {
          method: 'POST',
          module,
          path: resource,
          body: parseRequest(schemas.create, body, operation),
          subject: `the new ${noun}`,
          ...options,
        },
        schemas.item,
      );
    },

    async update(id, body, options) {
      const operation = `PATCH /pricebook/v2/tenant/{tenant}/${resource}/{id}`;
      return http.request(
        {
          method: 'PATCH',
          module,
          path: `${resource}/{id}`,
          pathParams: { id },
          body: parseRequest(schemas.update, body, operation),
          subject: `the changes to ${noun} ${id}`,
          ...options,
        },
        schemas.item,
      );
    },
  };
}

export interface PricebookApi {
  materials: SkuApi<Material, MaterialCreate, MaterialUpdate>;
  equipment: SkuApi<Equipment, EquipmentCreate, EquipmentUpdate>;
  services: SkuApi<Service, ServiceCreate, ServiceUpdate>;
}

export function createPricebookApi(context: ApiContext): PricebookApi {
  return {
    materials: createSkuApi(context, 'materials', 'material', {
      item: materialSchema,
      create: materialCreateSchema,
      update: materialUpdateSchema,
    }),
    equipment: createSkuApi(context, 'equipment', 'equipment', {
      item: equipmentSchema,
      create: equipmentCreateSchema,
      update: equipmentUpdateSchema,
    }),
    services: createSkuApi(context, 'services', 'service', {
      item: serviceSchema,
      create: serviceCreateSchema,
      update: serviceUpdateSchema,
    }),
  };
}
