/**
 * The one list of permanent failure types. Activities throw non-retryable ApplicationFailures with
 * one of these as `type`; the workflow, the API and the docs use the same names. Every message that
 * accompanies one says what to fix.
 */
export const SyncErrorType = {
  OrderNotFound: 'ORDER_NOT_FOUND',
  TenantNotFound: 'TENANT_NOT_FOUND',
  SettingsMissing: 'SETTINGS_MISSING',
  SettingsInvalid: 'SETTINGS_INVALID',
  ServiceTitanAuth: 'SERVICETITAN_AUTH',
  ServiceTitanRejected: 'SERVICETITAN_REJECTED',
  CustomerAmbiguous: 'CUSTOMER_AMBIGUOUS',
  CustomerNotFound: 'CUSTOMER_NOT_FOUND',
  LocationNotFound: 'LOCATION_NOT_FOUND',
  ArrivalWindowsNotConfigured: 'ARRIVAL_WINDOWS_NOT_CONFIGURED',
  InvoiceTotalMismatch: 'INVOICE_TOTAL_MISMATCH',
  RenewalAmountMismatch: 'RENEWAL_AMOUNT_MISMATCH',
  SubscriptionNotFound: 'SUBSCRIPTION_NOT_FOUND',
} as const;
export type SyncErrorType = (typeof SyncErrorType)[keyof typeof SyncErrorType];

export const permanentSyncErrorTypes: readonly string[] = Object.values(SyncErrorType);
