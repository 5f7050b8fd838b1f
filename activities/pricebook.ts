import { recordOrderStep } from '../db/orders.js';
import { moneyEquals, moneyToNumber } from '../domain/money.js';
import { linesOfKind, type OrderLine } from '../domain/order.js';
import type { EnabledKindSettings } from '../domain/settings.js';
import type { ServiceTitanClient } from '../servicetitan/client.js';
import { isServiceTitanError } from '../servicetitan/errors.js';
import type { MaterialCreate, MaterialUpdate } from '../servicetitan/pricebook.js';
import type { OrderSyncActivities } from './contracts.js';
import { type ActivityDeps, loadOrder, tenantContext } from './deps.js';
import { ExternalKey } from './external-keys.js';

interface SkuItem {
  id: number;
  code: string;
  active: boolean;
  price?: number | null | undefined;
}

/** The part of a pricebook area (materials, equipment, services) this step uses. */
interface SkuPort {
  findByExternalData(key: string, values: string): Promise<SkuItem[]>;
  findByCode(code: string): Promise<SkuItem[]>;
  create(body: MaterialCreate): Promise<SkuItem>;
  update(id: number, body: MaterialUpdate): Promise<SkuItem>;
}

function skuPort(serviceTitan: ServiceTitanClient, itemType: EnabledKindSettings['itemType']): SkuPort {
  const area =
    itemType === 'Material'
      ? serviceTitan.pricebook.materials
      : itemType === 'Equipment'
        ? serviceTitan.pricebook.equipment
        : serviceTitan.pricebook.services;
  // The three areas share these operations; services drop the cost and asset accounts (zod strips them).
  return area as unknown as SkuPort;
}

export function createPricebookActivities(
  deps: ActivityDeps,
): Pick<OrderSyncActivities, 'ensurePricebookItems'> {
  return {
    /**
     * Every line of the kind gets a pricebook SKU: the configured existing SKU, or an item found by
     * our externalData marker or its store SKU (`code`), else created with the contractor's
     * accounts. A changed store price updates the item. Pricebook items are shared by all orders,
     * so they are never undone.
     */
    async ensurePricebookItems({ tenantId, orderId, kind, settings }) {
      const order = await loadOrder(deps, tenantId, orderId);
      const lines = linesOfKind(order, kind);
      const skuIdsByLine: Record<string, number> = {};
      const existingSkuId = kind === 'product' ? settings.accounting.existingSkuId : null;
      if (existingSkuId != null) {
        for (const line of lines) skuIdsByLine[line.id] = existingSkuId;
      } else {
        const { serviceTitan } = await tenantContext(deps, tenantId);
        const port = skuPort(serviceTitan, settings.itemType);
        const bySku = new Map<string, number>();
        for (const line of lines) {
          const known = bySku.get(line.sku);
          const skuId = known ?? (await ensureSku(serviceTitan, port, line, settings));
          bySku.set(line.sku, skuId);
          skuIdsByLine[line.id] = skuId;
        }
      }
      await recordOrderStep(deps.db, tenantId, orderId, `pricebook:${kind}`, {
        state: 'done',
        ids: skuIdsByLine,
        detail: existingSkuId != null ? `existing SKU ${existingSkuId}` : `${settings.itemType} items`,
      });
      return { skuIdsByLine };
    },
  };
}

async function ensureSku(
  serviceTitan: ServiceTitanClient,
  port: SkuPort,
  line: OrderLine,
  settings: EnabledKindSettings,
) {
  const [ours] = (await port.findByExternalData(ExternalKey.storeSku, line.sku)).filter(
    (item) => item.active,
  );
  const found = ours ?? (await port.findByCode(line.sku))[0];
  if (found) {
    const priceChanged = found.price == null || !moneyEquals(found.price.toFixed(2), line.unitPrice);
    if (priceChanged || !found.active) {
      // The store is the source of truth for what it sells; a deactivated item could not be invoiced.
      await port.update(found.id, { price: moneyToNumber(line.unitPrice), active: true });
    }
    return found.id;
  }
  const { accounting } = settings;
  const body = {
    code: line.sku,
    displayName: line.name,
    description: line.description || line.name,
    price: moneyToNumber(line.unitPrice),
    active: true,
    ...(accounting.account ? { account: accounting.account } : {}),
    ...(accounting.costOfSaleAccount ? { costOfSaleAccount: accounting.costOfSaleAccount } : {}),
    ...(accounting.assetAccount ? { assetAccount: accounting.assetAccount } : {}),
    ...(accounting.intacctGlGroupName ? { intacctGlGroupAccount: accounting.intacctGlGroupName } : {}),
    externalData: serviceTitan.externalDataFor(ExternalKey.storeSku, line.sku),
  };
  try {
    return (await port.create(body)).id;
  } catch (error) {
    // Another order created the same SKU a moment ago (ServiceTitan refuses a duplicate code): use it.
    if (isServiceTitanError(error) && error.code === 'conflict') {
      const [winner] = await port.findByCode(line.sku);
      if (winner) return winner.id;
    }
    throw error;
  }
}
