import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserializeState, type SandboxState, type SerializedState, serializeState } from './state.js';

// Optional persistence so `npm start` keeps the sandbox's data across restarts: the state is loaded
// once at start and saved (debounced, atomically via rename) after writes and on close.

const DEBOUNCE_MS = 1000;

export interface PersistenceLogger {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** The saved state, or undefined when the file is missing or unreadable (a corrupt file is set aside). */
export async function loadState(path: string, log: PersistenceLogger): Promise<SandboxState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return deserializeState(JSON.parse(text) as SerializedState);
  } catch (error) {
    const aside = `${path}.corrupt-${Date.now()}`;
    await rename(path, aside).catch(() => undefined);
    log.warn({ err: error, movedTo: aside }, 'sandbox state file unreadable; starting from the seed');
    return undefined;
  }
}

export class StateSaver {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly state: () => SandboxState,
    private readonly log: PersistenceLogger,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Writes now (after any write in progress) and cancels a pending one. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.save();
  }

  private save(): Promise<void> {
    const json = JSON.stringify(serializeState(this.state()));
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(dirname(this.path), { recursive: true });
        const tmp = `${this.path}.tmp-${process.pid}`;
        await writeFile(tmp, json);
        await rename(tmp, this.path);
      } catch (error) {
        this.log.error({ err: error, path: this.path }, 'could not save sandbox state');
      }
    });
    return this.writing;
  }
}
