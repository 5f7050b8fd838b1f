import { z } from 'zod';

/**
 * Tenant ids appear in workflow ids (`order-sync:{tenantId}:{orderId}`), so they keep to characters
 * that cannot be confused with the separator.
 */
export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
  error: 'tenantId must be 1–64 letters, digits, "_", "." or "-", starting with a letter or digit',
});

export const tenantParamsSchema = z.object({ tenantId: tenantIdSchema });

const storeId = (what: string) =>
  z
    .string()
    .min(1, { error: `${what} must not be empty` })
    .max(200, { error: `${what} must be at most 200 characters` });

export const orderParamsSchema = z.object({ tenantId: tenantIdSchema, orderId: storeId('orderId') });
export const subscriptionParamsSchema = z.object({
  tenantId: tenantIdSchema,
  subscriptionId: storeId('subscriptionId'),
});
