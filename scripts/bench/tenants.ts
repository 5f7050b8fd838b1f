import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { SecretBox } from '../../db/secret-box.js';
import { saveTenant, saveTenantSettings } from '../../db/tenants.js';
import { exampleSandboxSettings } from '../../servicetitan/sandbox/example-settings.js';
import type { SandboxTenant } from './sandbox.js';

export interface BenchTenant {
  id: string;
  webhookSecret: string;
  serviceTitanTenantId: number;
}

/** One store tenant per sandbox tenant, stored directly in the database (as `PUT /api/tenants` would). */
export async function saveBenchTenants(
  db: Database,
  secrets: SecretBox,
  options: { prefix: string; sandboxUrl: string; sandboxTenants: SandboxTenant[] },
): Promise<BenchTenant[]> {
  const out: BenchTenant[] = [];
  for (const [i, st] of options.sandboxTenants.entries()) {
    const id = `${options.prefix}-${i}`;
    const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
    await saveTenant(db, secrets, {
      id,
      name: `Benchmark ${id}`,
      timeZone: 'America/Chicago',
      serviceTitan: {
        environment: 'sandbox',
        tenantId: st.tenantId,
        clientId: st.clientId,
        clientSecret: st.clientSecret,
        appKey: st.appKey,
        baseUrl: options.sandboxUrl,
      },
      webhookSecrets: [webhookSecret],
    });
    await saveTenantSettings(db, id, exampleSandboxSettings());
    out.push({ id, webhookSecret, serviceTitanTenantId: st.tenantId });
  }
  return out;
}
