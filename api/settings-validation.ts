import type { FieldProblem } from '../domain/events.js';
import type { LineKind } from '../domain/order.js';
import type { Settings } from '../domain/settings.js';
import type { ServiceTitanOptions, SkuOption } from './servicetitan-options.js';

export interface SettingsCheck {
  /** Problems that would make syncs fail: the settings are not saved. */
  errors: FieldProblem[];
  /** Choices that work but are likely wrong; saved, and shown to the person saving. */
  warnings: FieldProblem[];
}

/** The store's name for the payment type the seed article asks contractors to create. */
export const STORE_PAYMENT_TYPE_NAME = 'Contractor Commerce';

const SECTION = { product: 'products', service: 'services' } as const satisfies Record<LineKind, string>;
const SCREEN = { product: 'Products', service: 'Services' } as const satisfies Record<LineKind, string>;

interface Named {
  id: number;
  name: string;
  active: boolean;
}

/**
 * Checks saved-to-be settings against the tenant's live ServiceTitan data, so wrong settings are
 * caught when saved rather than when the tenth order fails. Only the kinds that are switched on are
 * checked (switching one on later is another save, checked then). Pure: the caller fetches.
 */
export function checkSettings(
  settings: Settings,
  options: ServiceTitanOptions,
  existingSku?: SkuOption | null,
): SettingsCheck {
  const errors: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];

  /** Exists and is active; returns the entry when it does. */
  const requireActive = <T extends Named>(
    field: string,
    list: readonly T[],
    id: number | null,
    what: string,
    where: string,
  ): T | undefined => {
    if (id === null) return undefined;
    const found = list.find((item) => item.id === id);
    if (!found) {
      errors.push({
        field,
        message: `${capitalize(what)} ${id} does not exist in this ServiceTitan tenant; choose one from the list in ${where}.`,
      });
      return undefined;
    }
    if (!found.active) {
      errors.push({
        field,
        message: `${capitalize(what)} ${id} ("${found.name}") is inactive in ServiceTitan; choose an active one in ${where}, or reactivate it in ServiceTitan.`,
      });
      return undefined;
    }
    return found;
  };

  checkPaymentType(settings, options, warnings, requireActive);

  const enabledKinds = (['product', 'service'] as const).filter((kind) => settings[SECTION[kind]].enabled);
  for (const kind of enabledKinds) {
    const section = SECTION[kind];
    const kindSettings = settings[section];
    const jobScreen = `${SCREEN[kind]} > Job information`;
    const tagScreen = `${SCREEN[kind]} > Tags`;

    requireActive(
      `${section}.job.campaignId`,
      options.campaigns,
      kindSettings.job.campaignId,
      'marketing campaign',
      jobScreen,
    );
    const businessUnit = requireActive(
      `${section}.job.businessUnitId`,
      options.businessUnits,
      kindSettings.job.businessUnitId,
      'business unit',
      jobScreen,
    );
    const jobType = requireActive(
      `${section}.job.jobTypeId`,
      options.jobTypes,
      kindSettings.job.jobTypeId,
      'job type',
      jobScreen,
    );
    if (
      businessUnit &&
      jobType &&
      jobType.businessUnitIds.length > 0 &&
      !jobType.businessUnitIds.includes(businessUnit.id)
    ) {
      warnings.push({
        field: `${section}.job.jobTypeId`,
        message: `Job type ${jobType.id} ("${jobType.name}") is not offered for business unit ${businessUnit.id} ("${businessUnit.name}") in ServiceTitan, so ${kind} jobs would be booked with a job type that business unit does not use. Choose one of that business unit's job types, or add the business unit to the job type in ServiceTitan.`,
      });
    }
    requireActive(
      `${section}.tags.oneTimeTagTypeId`,
      options.tagTypes,
      kindSettings.tags.oneTimeTagTypeId,
      'tag type',
      tagScreen,
    );
    requireActive(
      `${section}.tags.subscriptionTagTypeId`,
      options.tagTypes,
      kindSettings.tags.subscriptionTagTypeId,
      'tag type',
      tagScreen,
    );
    requireActive(
      `${section}.technicianId`,
      options.technicians,
      kindSettings.technicianId,
      'technician',
      SCREEN[kind],
    );

    if (kindSettings.includeArrivalWindows) {
      // The same rule the job activity applies: an active window that lists the business unit, or lists none.
      const buId = kindSettings.job.businessUnitId;
      const usable = options.arrivalWindows.filter(
        (w) =>
          w.active && (w.businessUnitIds.length === 0 || (buId !== null && w.businessUnitIds.includes(buId))),
      );
      if (usable.length === 0) {
        const anyActive = options.arrivalWindows.some((w) => w.active);
        errors.push({
          field: `${section}.includeArrivalWindows`,
          message: anyActive
            ? `Arrival windows are switched on for ${kind} orders, but no active arrival window in ServiceTitan applies to business unit ${buId}${businessUnit ? ` ("${businessUnit.name}")` : ''}; add that business unit to an arrival window in ServiceTitan (Settings > Dispatch > Arrival windows) or switch arrival windows off.`
            : `Arrival windows are switched on for ${kind} orders, but ServiceTitan has no active arrival window; create one in ServiceTitan (Settings > Dispatch > Arrival windows) or switch arrival windows off.`,
        });
      }
    }
  }

  if (settings.products.enabled && settings.products.invoiceItemType === 'Material') {
    warnings.push({
      field: 'products.invoiceItemType',
      message:
        'Invoice item type "Material" has been found to create jobs whose invoices total $0 in ServiceTitan (the $0-invoice trap), so the revenue would not show on the job. Choose "Equipment" unless you have checked that Material invoices come out right in this tenant.',
    });
  }

  checkAccounting(settings, options, existingSku, errors, warnings);
  return { errors, warnings };
}

function checkPaymentType(
  settings: Settings,
  options: ServiceTitanOptions,
  warnings: FieldProblem[],
  requireActive: <T extends Named>(
    field: string,
    list: readonly T[],
    id: number | null,
    what: string,
    where: string,
  ) => T | undefined,
) {
  const paymentType = requireActive(
    'paymentTypeId',
    options.paymentTypes,
    settings.paymentTypeId,
    'payment type',
    'the payment type setting',
  );
  if (!paymentType) return;
  const namedForStore = paymentType.name.toLowerCase().includes(STORE_PAYMENT_TYPE_NAME.toLowerCase());
  const label = `Payment type ${paymentType.id} ("${paymentType.name}")`;
  if (paymentType.cash === false) {
    warnings.push({
      field: 'paymentTypeId',
      message: `${label} is not flagged Cash in ServiceTitan. The store has already collected the money, so ServiceTitan should record these payments with the Cash attribute; create a payment type named "${STORE_PAYMENT_TYPE_NAME}" with the Cash attribute and choose it.`,
    });
  }
  if (!namedForStore) {
    warnings.push({
      field: 'paymentTypeId',
      message: `${label} is not the store's payment type. Create a payment type named "${STORE_PAYMENT_TYPE_NAME}"${paymentType.cash === null ? ' and give it the Cash attribute (ServiceTitan’s API does not show that attribute, so check it in ServiceTitan under Settings > Payment types)' : ' with the Cash attribute'}, and choose it so store payments are easy to tell apart.`,
    });
  }
}

function checkAccounting(
  settings: Settings,
  options: ServiceTitanOptions,
  existingSku: SkuOption | null | undefined,
  errors: FieldProblem[],
  warnings: FieldProblem[],
) {
  const products = settings.products.enabled;
  // Services use the products' revenue account and Intacct group (domain/settings settingsForKind).
  const revenueUsed = products || settings.services.enabled;
  const where = 'Products > Accounting information';
  const { accounting } = settings.products;

  const account = (field: string, name: string | null, what: string) => {
    if (name === null) return undefined;
    const found = options.glAccounts.find((g) => g.name.trim().toLowerCase() === name.trim().toLowerCase());
    if (!found) {
      errors.push({
        field,
        message: `There is no GL account named "${name}" in ServiceTitan for the ${what}; choose one from the list in ${where} (names must match ServiceTitan's exactly).`,
      });
      return undefined;
    }
    if (!found.active) {
      errors.push({
        field,
        message: `GL account "${found.name}" (the ${what}) is inactive in ServiceTitan; choose an active account in ${where}.`,
      });
      return undefined;
    }
    return found;
  };

  if (revenueUsed) {
    account('products.accounting.account', accounting.account, 'revenue account');
    const group = account(
      'products.accounting.intacctGlGroupName',
      accounting.intacctGlGroupName,
      'Intacct GL group',
    );
    if (group && !group.isIntacctGroup) {
      warnings.push({
        field: 'products.accounting.intacctGlGroupName',
        message: `GL account "${group.name}" is not an Intacct GL group in ServiceTitan; leave the Intacct GL group empty unless the contractor keeps its books in Intacct.`,
      });
    }
  }
  if (!products) return;
  account('products.accounting.costOfSaleAccount', accounting.costOfSaleAccount, 'cost of sale account');
  account('products.accounting.assetAccount', accounting.assetAccount, 'asset account');

  if (accounting.existingSkuId !== null) {
    if (!existingSku) {
      errors.push({
        field: 'products.accounting.existingSkuId',
        message: `Pricebook item ${accounting.existingSkuId} does not exist in ServiceTitan; search the pricebook by SKU and choose an existing item, or leave it empty to create one item per product.`,
      });
    } else if (!existingSku.active) {
      errors.push({
        field: 'products.accounting.existingSkuId',
        message: `Pricebook item ${existingSku.id} ("${existingSku.code}") is inactive in ServiceTitan; choose an active item or reactivate it.`,
      });
    } else if (existingSku.type === 'service') {
      warnings.push({
        field: 'products.accounting.existingSkuId',
        message: `Pricebook item ${existingSku.id} ("${existingSku.code}") is a service, but it would be used for product orders; choose an equipment or material item.`,
      });
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
