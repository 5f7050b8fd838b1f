import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** What a running npm start tells other commands (send-order) about itself, in DATA_DIR/runtime.json. */
export const runtimeInfoSchema = z.object({
  pid: z.int(),
  startedAt: z.string(),
  apiUrl: z.string(),
  temporalUiUrl: z.string().nullable(),
  temporalAddress: z.string(),
  namespace: z.string(),
  taskQueue: z.string(),
  sandboxUrl: z.string().nullable(),
  demoTenantId: z.string().nullable(),
});
export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;

export function writeRuntimeInfo(path: string, info: RuntimeInfo): void {
  writeFileSync(path, `${JSON.stringify(info, null, 2)}\n`);
}

/** The running system's URLs, or undefined when npm start is not running with this DATA_DIR. */
export function readRuntimeInfo(path: string): RuntimeInfo | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = runtimeInfoSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // half-written by a process that died: as good as absent
  }
}

export function removeRuntimeInfo(path: string): void {
  rmSync(path, { force: true });
}
