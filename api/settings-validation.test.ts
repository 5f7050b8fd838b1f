import { describe, expect, it } from 'vitest';
import { type SettingsInput, settingsSchema } from '../domain/settings.js';
import type { ServiceTitanOptions } from './servicetitan-options.js';
import { checkSettings } from './settings-validation.js';

// The rules that the sandbox cannot exercise on its own (real ServiceTitan shapes), as plain data.

const options: ServiceTitanOptions = {
  businessUnits: [{ id: 1, name: 'HVAC', active: true }],
  jobTypes: [{ id: 7, name: 'Delivery', active: true, businessUnitIds: [] }],
  campaigns: [{ id: 3, name: 'Contractor Commerce', active: true }],
  tagTypes: [
    { id: 21, name: 'One-time', active: true },
    { id: 22, name: 'Subscription', active: true },
  ],
  technicians: [],
  // As real ServiceTitan answers: no Cash flag.
  paymentTypes: [
    { id: 12, name: 'Contractor Commerce', active: true, cash: null },
    { id: 13, name: 'Credit Card', active: true, cash: null },
  ],
  glAccounts: [
    { id: 51, name: 'Revenue', active: true, number: '4000', type: 'Revenue', isIntacctGroup: false },
  ],
  arrivalWindows: [
    { id: 61, name: '08:00', active: true, start: '08:00', duration: '04:00', businessUnitIds: [] },
  ],
  fetchedAt: '2026-12-04T10:00:00Z',
};

const enabledJob = { campaignId: 3, businessUnitId: 1, jobTypeId: 7 };
const enabledTags = { oneTimeTagTypeId: 21, subscriptionTagTypeId: 22 };

function settings(input: Partial<SettingsInput>) {
  return settingsSchema.parse({ paymentTypeId: 12, ...input });
}

describe('checkSettings', () => {
  it('accepts the store payment type by name when ServiceTitan does not expose the Cash flag', () => {
    expect(checkSettings(settings({}), options)).toEqual({ errors: [], warnings: [] });
  });

  it('warns on the name only, and says where to check Cash, when the flag is not exposed', () => {
    const { warnings } = checkSettings(settings({ paymentTypeId: 13 }), options);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/check it in ServiceTitan under Settings > Payment types/);
  });

  it('does not check the ids of a kind that is switched off', () => {
    const result = checkSettings(
      settings({
        products: { enabled: false, job: { campaignId: 999, businessUnitId: 999, jobTypeId: 999 } },
      }),
      options,
    );
    expect(result.errors).toEqual([]);
  });

  it('checks the revenue account when only services are synced (they use the products’ revenue account)', () => {
    const result = checkSettings(
      settings({
        products: { accounting: { account: 'Sales' } },
        services: { enabled: true, job: enabledJob, tags: enabledTags },
      }),
      options,
    );
    expect(result.errors.map((e) => e.field)).toEqual(['products.accounting.account']);
  });

  it('counts an arrival window without business units as open to every business unit', () => {
    const result = checkSettings(
      settings({
        products: { enabled: true, includeArrivalWindows: true, job: enabledJob, tags: enabledTags },
      }),
      options,
    );
    expect(result.errors).toEqual([]);
  });
});
