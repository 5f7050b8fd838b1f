import { describe, expect, it } from 'vitest';
import { SpecValidator } from './spec-validator.js';

const loaded = SpecValidator.tryLoad();
if (!loaded.validator) console.warn(`Skipping spec-validator tests: ${loaded.reason}`);

describe.skipIf(!loaded.validator)('SpecValidator', () => {
  const spec = loaded.validator as SpecValidator;

  it('accepts null for OpenAPI `nullable` properties, including oneOf wrappers', () => {
    const check = spec.schema('crm', 'Crm.V2.Customers.CustomerAddress');
    expect(
      check({
        street: 's',
        unit: null,
        city: 'c',
        state: 'TX',
        zip: '1',
        country: 'USA',
        latitude: null,
        longitude: null,
      }).valid,
    ).toBe(true);
    const job = spec.schema('jpm', 'Jpm.V2.JobCreateRequest');
    const body = {
      customerId: 1,
      locationId: 2,
      businessUnitId: 3,
      jobTypeId: 4,
      priority: 'Normal',
      campaignId: 5,
      appointments: [{ start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' }],
      jobGeneratedLeadSource: null,
    };
    expect(job(body).errors).toEqual([]);
  });

  it('reports missing required fields, wrong enum values and unknown properties', () => {
    const check = spec.schema('settings', 'TenantSettings.V2.TagTypeResponse');
    const result = check({ id: 1, name: 'x', color: '#fff', code: 'X', importance: 'Low', extra: true });
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/isConversionOpportunity/);
    expect(result.errors.join('\n')).toMatch(/additional properties 'extra'/);
  });

  it('reads ST time spans ("08:00:00") as the `duration` format', () => {
    const check = spec.response('dispatch', 'GET', '/arrival-windows/{id}', 200);
    expect(
      check({ id: 1, start: '08:00:00', duration: '04:00:00', businessUnitIds: [], active: true }).valid,
    ).toBe(true);
    expect(
      check({ id: 1, start: 'PT8H', duration: '04:00:00', businessUnitIds: [], active: true }).valid,
    ).toBe(false);
  });

  it('accepts paths with or without the module prefix and with a concrete tenant', () => {
    expect(spec.has('crm', 'GET', '/crm/v2/tenant/{tenant}/customers')).toBe(true);
    expect(spec.has('crm', 'GET', '/tenant/123/customers')).toBe(true);
    expect(spec.has('crm', 'GET', '/customers/{id}')).toBe(true);
    expect(spec.has('crm', 'PUT', '/customers/{id}')).toBe(false);
  });

  it('falls back to ApiErrorResponse for undocumented error statuses, and expects empty bodies where the spec has none', () => {
    const error = { type: 'about:blank', title: 't', status: 429, traceId: 'x', errors: {}, data: {} };
    expect(spec.response('crm', 'GET', '/customers', 429)(error).valid).toBe(true);
    expect(spec.response('jpm', 'PUT', '/jobs/{id}/cancel', 200)(undefined).valid).toBe(true);
    expect(spec.response('jpm', 'PUT', '/jobs/{id}/cancel', 200)({ ok: true }).valid).toBe(false);
    expect(() => spec.response('crm', 'GET', '/customers', 201)).toThrow(/does not document status 201/);
  });

  it('gives request validators for operations with a body and none otherwise', () => {
    expect(
      spec.request('accounting', 'PATCH', '/invoices/{invoiceId}/items')?.({ description: 'd', quantity: 1 })
        .valid,
    ).toBe(true);
    expect(spec.request('crm', 'GET', '/customers')).toBeUndefined();
  });
});
