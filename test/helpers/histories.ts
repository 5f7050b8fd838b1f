import { writeFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;

export const historiesDir = new URL('../histories/', import.meta.url);

/**
 * With RECORD_HISTORIES=1, saves the workflow's event history as test/histories/<name>.json so the
 * replay test can prove that today's workflow code still replays yesterday's runs.
 */
/** A recorded history, back as the SDK's History message. */
export function readHistory(json: unknown) {
  return History.fromObject(json as Record<string, unknown>);
}

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  // protobufjs' own JSON form through the SDK's proto types (the SDK's proto3-JSON helpers trip over
  // the two protobufjs copies npm installs side by side).
  const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  writeFileSync(new URL(`${name}.json`, historiesDir), `${JSON.stringify(json)}\n`);
}
