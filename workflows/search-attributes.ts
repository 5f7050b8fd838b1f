import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed search attributes operators filter by in the Temporal UI (contracts §5); all Keyword. */
export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const OrderIdKey = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const SubscriptionIdKey = defineSearchAttributeKey('SubscriptionId', SearchAttributeType.KEYWORD);
export const OrderKindKey = defineSearchAttributeKey('OrderKind', SearchAttributeType.KEYWORD);
export const SyncStatusKey = defineSearchAttributeKey('SyncStatus', SearchAttributeType.KEYWORD);

export const allSearchAttributes = [TenantIdKey, OrderIdKey, SubscriptionIdKey, OrderKindKey, SyncStatusKey];
