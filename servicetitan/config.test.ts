import { describe, expect, it } from 'vitest';
import { ORDER_SYNC_APPLICATION_GUID, parseServiceTitanConfig, resolveEndpoints } from './config.js';

const credentials = { tenantId: 42, clientId: 'cid.x', clientSecret: 'cs1.y', appKey: 'ak1.z' };

describe('ServiceTitan configuration', () => {
  it("uses ServiceTitan's integration hosts", () => {
    const config = parseServiceTitanConfig({ environment: 'integration', ...credentials });
    expect(resolveEndpoints(config)).toEqual({
      apiUrl: 'https://api-integration.servicetitan.io',
      tokenUrl: 'https://auth-integration.servicetitan.io/connect/token',
    });
  });

  it("uses ServiceTitan's production hosts", () => {
    const config = parseServiceTitanConfig({ environment: 'production', ...credentials });
    expect(resolveEndpoints(config)).toEqual({
      apiUrl: 'https://api.servicetitan.io',
      tokenUrl: 'https://auth.servicetitan.io/connect/token',
    });
  });

  it('serves API and token from the base URL for the sandbox', () => {
    const config = parseServiceTitanConfig({
      environment: 'sandbox',
      baseUrl: 'http://127.0.0.1:3001/',
      ...credentials,
    });
    expect(resolveEndpoints(config)).toEqual({
      apiUrl: 'http://127.0.0.1:3001',
      tokenUrl: 'http://127.0.0.1:3001/connect/token',
    });
  });

  it('lets explicit URLs override the environment, accepting a full token URL', () => {
    const config = parseServiceTitanConfig({
      environment: 'integration',
      baseUrl: 'https://proxy.example/st',
      authUrl: 'https://auth.example/connect/token',
      ...credentials,
    });
    expect(resolveEndpoints(config)).toEqual({
      apiUrl: 'https://proxy.example/st',
      tokenUrl: 'https://auth.example/connect/token',
    });
  });

  it('requires a base URL for the sandbox', () => {
    expect(() => parseServiceTitanConfig({ environment: 'sandbox', ...credentials })).toThrow(/baseUrl/);
  });

  it('applies the defaults', () => {
    const config = parseServiceTitanConfig({
      environment: 'integration',
      ...credentials,
      tenantId: '1000001',
    });
    expect(config).toMatchObject({
      tenantId: 1000001,
      applicationGuid: ORDER_SYNC_APPLICATION_GUID,
      requestTimeoutMs: 30_000,
      rateLimitPerSecond: 60,
    });
  });

  it('rejects a missing secret or a non-numeric tenant', () => {
    expect(() =>
      parseServiceTitanConfig({ environment: 'integration', ...credentials, clientSecret: '' }),
    ).toThrow();
    expect(() =>
      parseServiceTitanConfig({ environment: 'integration', ...credentials, tenantId: 'acme' }),
    ).toThrow();
  });
});
