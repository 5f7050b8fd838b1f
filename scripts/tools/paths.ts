import { fileURLToPath } from 'node:url';

/** Repository root, resolved from this file so scripts work from any working directory. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Ignored folder where machine-local tool builds are cached, so they happen once per machine. */
export const toolsDir = process.env.TOOLS_DIR ?? `${repoRoot}.tools`;
export const toolsBinDir = `${toolsDir}/bin`;
