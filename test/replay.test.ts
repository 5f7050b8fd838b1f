import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowsPath } from '../worker.js';
import { historiesDir, readHistory } from './helpers/histories.js';
import { installQuietRuntime } from './helpers/temporal.js';

/**
 * Every history recorded by the tests (RECORD_HISTORIES=1 npm run test:suite) must replay against
 * today's workflow code; a change to a running workflow's commands needs a `patched()` guard.
 */
const histories = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    name: file.replace(/\.json$/, ''),
    history: readHistory(JSON.parse(readFileSync(new URL(file, historiesDir), 'utf8'))),
  }));

const silent = { error: console.error, warn() {}, info() {}, debug() {}, trace() {}, log() {} };
let current: Awaited<ReturnType<typeof bundleWorkflowCode>>;
let reordered: Awaited<ReturnType<typeof bundleWorkflowCode>>;

beforeAll(async () => {
  installQuietRuntime();
  current = await bundleWorkflowCode({ workflowsPath, logger: silent });
  reordered = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./workflows/reordered-workflows.ts', import.meta.url)),
    logger: silent,
  });
});

describe('recorded workflow histories', () => {
  it('exist, so the replay check has something to check', () => {
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it.each(histories)('$name replays against the current workflow code', async ({ name, history }) => {
    await Worker.runReplayHistory({ workflowBundle: current, replayName: name }, history);
  });

  it.each(histories)(
    '$name fails to replay against a reordered workflow (negative control)',
    async ({ name, history }) => {
      await expect(
        Worker.runReplayHistory({ workflowBundle: reordered, replayName: name }, history),
      ).rejects.toMatchObject({
        name: 'DeterminismViolationError',
      });
    },
  );
});
