import { z } from 'zod';

/** The order statuses of the API and of the `SyncStatus` search attribute (contracts §4, §5). */
export const syncStatusSchema = z.enum([
  'received',
  'syncing',
  'synced',
  'needs_attention',
  'failed',
  'skipped',
]);
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** The steps of one order's sync, in the order they run; operators see each one's state. */
export const syncStepNames = [
  'settings',
  'customer',
  'location',
  'pricebook',
  'job',
  'invoice',
  'payment',
  'tags',
  'subscription',
] as const;
export type SyncStepName = (typeof syncStepNames)[number];

export const stepStateSchema = z.enum([
  'pending',
  'running',
  'done',
  'skipped',
  'failed',
  'waiting',
  'compensated',
]);
export type StepState = z.infer<typeof stepStateSchema>;

export interface StepStatus {
  state: StepState;
  /** ServiceTitan ids this step produced, e.g. `{ customerId: 123 }` or `{ product: { jobId: 5 } }`. */
  ids?: Record<string, unknown>;
  detail?: string;
}
