/**
 * Keys of the `externalData` this product writes under its application GUID. They are the
 * deterministic markers a retry searches for when a create's response was lost.
 */
export const ExternalKey = {
  /** On customers and locations created for an order: the store order id. */
  storeOrder: 'storeOrderId',
  /** On jobs: `order:{orderId}:{kind}` or `subscription:{id}:cycle:{n}:{kind}`. */
  storeJob: 'storeJobKey',
  /** On pricebook items: the store SKU. */
  storeSku: 'storeSku',
} as const;

export const orderJobKey = (orderId: string, kind: string) => `order:${orderId}:${kind}`;

/** The line marker in an invoice item's description: how a retry recognises items it already added. */
export const invoiceLineMarker = (orderNumber: string, lineId: string) =>
  `[store order ${orderNumber} · line ${lineId}]`;
