/**
 * `npm run build:workflows -- <path>` (or WORKFLOW_BUNDLE_PATH=<path>): bundles the workflow code
 * once, at image build, so production workers start in a moment and run exactly the bundle that
 * was built (worker.ts loads it when WORKFLOW_BUNDLE_PATH is set).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../worker.js';

const quiet = { error: console.error, warn: console.warn, info() {}, debug() {}, trace() {}, log() {} };

export async function buildWorkflowBundle(outputPath: string): Promise<{ path: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const path = resolve(outputPath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return { path, bytes: Buffer.byteLength(code) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const output = process.argv[2] ?? process.env.WORKFLOW_BUNDLE_PATH;
  if (!output) {
    console.error(
      'Say where to write the bundle: npm run build:workflows -- dist/workflow-bundle.js (or set WORKFLOW_BUNDLE_PATH).',
    );
    process.exit(2);
  }
  const started = Date.now();
  const { path, bytes } = await buildWorkflowBundle(output);
  console.log(
    `Workflow bundle written to ${path} (${Math.round(bytes / 1024)} KiB in ${Date.now() - started} ms); run workers with WORKFLOW_BUNDLE_PATH=${path}`,
  );
}
