import { sleep, workflowInfo } from '@temporalio/workflow';

/** Sleeps for `days` of workflow time and reports how much workflow time passed. */
export async function sleepForDays(days: number): Promise<{ elapsedMs: number }> {
  const started = Date.now();
  await sleep(`${days} days`);
  return { elapsedMs: Date.now() - started };
}

export async function echo(text: string): Promise<string> {
  return `${workflowInfo().workflowType}: ${text}`;
}
