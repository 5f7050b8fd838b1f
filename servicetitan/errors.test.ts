import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  describeFieldErrors,
  errorFromInvalidResponse,
  errorFromNetworkFailure,
  errorFromResponse,
  parseRetryAfter,
  ServiceTitanError,
} from './errors.js';

const operation = 'POST /jpm/v2/tenant/{tenant}/jobs';
const failure = (status: number, body?: Record<string, unknown>, retryAfterMs?: number) =>
  errorFromResponse({
    operation,
    subject: 'the job',
    status,
    body: body as never,
    rawText: body ? JSON.stringify(body) : '',
    retryAfterMs,
    tenantId: 1000001,
  });

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(parseRetryAfter('Fri, 04 Dec 2026 10:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Fri, 04 Dec 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('classification', () => {
  it.each([400, 403, 404, 409, 422])('%i is permanent', (status) => {
    expect(failure(status).kind).toBe('permanent');
  });

  it.each([500, 502, 503, 504, 429])('%i is transient', (status) => {
    expect(failure(status).kind).toBe('transient');
  });

  it('a 401 that survived a token refresh is permanent and says to check the credentials', () => {
    const error = failure(401);
    expect(error.kind).toBe('permanent');
    expect(error.plainMessage).toMatch(/app key and the client id\/secret/);
  });

  it('a 429 carries Retry-After, defaulting to one second', () => {
    expect(failure(429, undefined, 2500).retryAfterMs).toBe(2500);
    expect(failure(429).retryAfterMs).toBe(1000);
  });

  it('network errors and timeouts are transient', () => {
    const network = errorFromNetworkFailure(
      operation,
      'the job',
      'api.servicetitan.io',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      }),
      30_000,
    );
    expect(network).toMatchObject({ kind: 'transient', code: 'network' });
    expect(network.plainMessage).toContain('ECONNRESET');
    const timeout = errorFromNetworkFailure(
      operation,
      'the job',
      'h',
      new DOMException('t', 'TimeoutError'),
      30_000,
    );
    expect(timeout).toMatchObject({ kind: 'transient', code: 'timeout' });
    expect(timeout.plainMessage).toContain('30 s');
  });
});

describe('plain messages', () => {
  it("names the field and ServiceTitan's message, with the trace id", () => {
    const error = failure(400, {
      type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      traceId: '0HN7ABC:00000001',
      errors: { BusinessUnitId: ['Business unit 99 not found'] },
      data: {},
    });
    expect(error.plainMessage).toBe(
      'ServiceTitan rejected the job: BusinessUnitId — Business unit 99 not found (trace 0HN7ABC:00000001)',
    );
    expect(error.message).toContain('[POST /jpm/v2/tenant/{tenant}/jobs → 400]');
    expect(error.traceId).toBe('0HN7ABC:00000001');
  });

  it('falls back to the title, then to a plain-text body', () => {
    expect(failure(404, { title: 'Job not found' }).plainMessage).toBe(
      'ServiceTitan could not find the job: Job not found',
    );
    const plain = errorFromResponse({
      operation,
      subject: 'the job',
      status: 401,
      body: undefined,
      rawText: 'Application key not present, check ST-App-Key header value.',
      tenantId: 1,
    });
    expect(plain.plainMessage).toContain('Application key not present');
  });

  it('joins several field errors and leaves out empty field names', () => {
    expect(
      describeFieldErrors({ errors: { '': ['Body is invalid'], Priority: ['Required', 'Unknown'] } }),
    ).toBe('Body is invalid; Priority — Required, Unknown');
  });

  it('a response of the wrong shape is permanent and names the field', () => {
    const result = z
      .object({ data: z.array(z.object({ name: z.string() })) })
      .safeParse({ data: [{ name: null }] });
    const error = errorFromInvalidResponse(
      'GET /crm/v2/tenant/{tenant}/customers',
      'the customer search',
      200,
      result.error?.issues,
    );
    expect(error).toBeInstanceOf(ServiceTitanError);
    expect(error.kind).toBe('permanent');
    expect(error.plainMessage).toContain('field "data.0.name"');
  });

  it('serialises without stack or secrets', () => {
    const json = failure(409, { title: 'Conflict', traceId: 't' }).toJSON();
    expect(json).toMatchObject({ kind: 'permanent', code: 'conflict', status: 409 });
    expect(JSON.stringify(json)).not.toContain('stack');
  });
});
