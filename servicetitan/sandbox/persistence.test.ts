import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from './seed.js';
import { startSandbox } from './server.js';
import { SandboxTestClient } from './test-helpers.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'st-sandbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const address = { street: '1 Persist Pl', city: 'Austin', state: 'TX', zip: '78701', country: 'USA' };

describe('state file', () => {
  it('keeps created records, configuration edits and tokens across a restart', async () => {
    const statePath = join(dir, 'nested', 'sandbox-state.json');
    const first = await startSandbox({ statePath });
    const st = new SandboxTestClient(first.url);
    const created = await st.post<{ id: number }>('/crm/v2/tenant/{tenant}/customers', {
      name: 'Persisted',
      address,
      locations: [{ name: 'Home', address }],
    });
    await st.control('PATCH', `/entities/technicians/${SEED_IDS.technicians.sam}`, { active: false });
    const token = await st.accessToken();
    await first.close();

    const saved = JSON.parse(await readFile(statePath, 'utf8')) as { version: number };
    expect(saved.version).toBe(1);

    const second = await startSandbox({ statePath });
    try {
      const again = new SandboxTestClient(second.url);
      const headers = { authorization: `Bearer ${token}` };
      const customer = await again.get<{ name: string }>(
        `/crm/v2/tenant/{tenant}/customers/${created.body.id}`,
        { headers },
      );
      expect(customer.status).toBe(200);
      expect(customer.body.name).toBe('Persisted');
      const tech = await again.get<{ active: boolean }>(
        `/settings/v2/tenant/{tenant}/technicians/${SEED_IDS.technicians.sam}`,
      );
      expect(tech.body.active).toBe(false);
      // New ids continue after the saved ones.
      const next = await again.post<{ id: number }>('/crm/v2/tenant/{tenant}/customers', {
        name: 'Second',
        address,
        locations: [{ name: 'Home', address }],
      });
      expect(next.body.id).toBeGreaterThan(created.body.id);
    } finally {
      await second.close();
    }
  });

  it('starts from the seed when the state file is corrupt, setting the file aside', async () => {
    const statePath = join(dir, 'sandbox-state.json');
    await writeFile(statePath, '{ not json');
    const sandbox = await startSandbox({ statePath });
    try {
      const st = new SandboxTestClient(sandbox.url);
      const res = await st.get(`/crm/v2/tenant/{tenant}/customers/${SEED_IDS.customers.janeDoe}`);
      expect(res.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});
