import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The client knows nothing of Temporal, the database or the sandbox (architecture.md): activities
// and the API import it, and it must stay usable from both.

const dir = fileURLToPath(new URL('.', import.meta.url));
/** Test support that validates against the specs; never imported by the client itself. */
const TEST_SUPPORT = new Set(['spec-recorder.ts']);
const clientFiles = readdirSync(dir).filter(
  (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !TEST_SUPPORT.has(name),
);

describe('client boundaries', () => {
  it.each(clientFiles)('%s imports no Temporal, database or sandbox code', (name) => {
    const source = readFileSync(`${dir}${name}`, 'utf8');
    const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
    const forbidden = imports.filter((spec) =>
      /^@temporalio\/|sandbox|(^|\/)db\/|drizzle|postgres/.test(spec),
    );
    expect(forbidden).toEqual([]);
  });

  it('the public entry point does not pull in test support', () => {
    expect(readFileSync(`${dir}index.ts`, 'utf8')).not.toContain('spec-recorder');
  });
});
