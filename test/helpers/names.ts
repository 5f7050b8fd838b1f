/** Migrated once per run; every test database is a cheap copy of it. */
export const TEMPLATE_DATABASE = 'order_sync_test_template';
