import { z } from 'zod';

// Fault injection for tests and the benchmark: fail calls before doing anything (`error`), do the
// work and then fail or drop the connection (`commit-then-error`, the lost-response case idempotency
// must survive), slow calls down (`latency`), or make invoice-item appends ignore unitPrice
// (`ignore-unit-price`, the $0-invoice trap of ST's dynamic pricing).

export const FAULT_MODES = ['error', 'commit-then-error', 'latency', 'ignore-unit-price'] as const;

export const faultRuleSchema = z.object({
  method: z.string().optional(),
  /** Matches the raw path, the path with `{tenant}` in place of the tenant id, or the route template. */
  pathPrefix: z.string().optional(),
  mode: z.enum(FAULT_MODES),
  /** Fraction of matching calls affected, 0..1 (default 1: every matching call). */
  rate: z.number().min(0).max(1).default(1),
  /** error: default 503; commit-then-error: 0 or absent drops the connection. */
  status: z.number().int().min(0).max(599).optional(),
  latencyMs: z.number().int().min(0).optional(),
});

export const faultConfigSchema = z.object({
  rules: z.array(faultRuleSchema).default([]),
  rateLimitPerSecond: z.number().int().positive().optional(),
  latencyMs: z.number().int().min(0).optional(),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultConfig = z.infer<typeof faultConfigSchema>;

export interface FaultDecision {
  latencyMs: number;
  /** Answer this status without doing the work. */
  error: { status: number } | null;
  /** Do the work, then answer this status (0: drop the connection). */
  commitThenError: { status: number } | null;
  ignoreUnitPrice: boolean;
}

export interface RequestShape {
  method: string;
  /** Path without query, e.g. /crm/v2/tenant/1000001/customers/5000001. */
  rawPath: string;
  /** Route template, e.g. /crm/v2/tenant/{tenant}/customers/{id}. */
  template: string;
}

function matches(rule: FaultRule, req: RequestShape): boolean {
  if (rule.method && rule.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (!rule.pathPrefix) return true;
  const withTenant = req.rawPath.replace(/\/tenant\/\d+(?=\/|$)/, '/tenant/{tenant}');
  return [req.rawPath, withTenant, req.template].some((p) => p.startsWith(rule.pathPrefix ?? ''));
}

/** Whether a rule with `rate` fires: always at 1 (deterministic), never at 0, randomly in between. */
function fires(rate: number): boolean {
  return rate >= 1 || (rate > 0 && Math.random() < rate);
}

export class FaultInjector {
  private config: FaultConfig = { rules: [] };

  set(config: FaultConfig): void {
    this.config = config;
  }

  clear(): void {
    this.config = { rules: [] };
  }

  current(): FaultConfig {
    return this.config;
  }

  evaluate(req: RequestShape): FaultDecision {
    const decision: FaultDecision = {
      latencyMs: 0,
      error: null,
      commitThenError: null,
      ignoreUnitPrice: false,
    };
    for (const rule of this.config.rules) {
      if (!matches(rule, req) || !fires(rule.rate)) continue;
      switch (rule.mode) {
        case 'latency':
          decision.latencyMs += rule.latencyMs ?? 0;
          break;
        case 'ignore-unit-price':
          decision.ignoreUnitPrice = true;
          break;
        case 'error':
          decision.error ??= { status: rule.status || 503 };
          break;
        case 'commit-then-error':
          decision.commitThenError ??= { status: rule.status ?? 0 };
          break;
      }
    }
    return decision;
  }
}
