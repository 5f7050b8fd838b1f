import { portInUse } from '../tools/free-port.js';
import { portInUseMessage, StartupError } from './startup-error.js';

export interface PortClaim {
  port: number;
  /** The variable that chooses it, so the message can say what to change. */
  variable: string;
  what: string;
}

/**
 * Checks every port before anything starts, so a busy port stops npm start with one message and
 * nothing half-started. Port 0 (any free port) is never busy.
 */
export async function assertPortsFree(claims: PortClaim[], host: string): Promise<void> {
  for (const claim of claims) {
    if (claim.port === 0) continue;
    // Loopback catches a server bound to all interfaces; the configured host catches one bound only there.
    for (const candidate of new Set(['127.0.0.1', host])) {
      if (await portInUse(claim.port, candidate)) {
        throw new StartupError(portInUseMessage(claim.port, claim.variable, claim.what));
      }
    }
  }
}
