#!/bin/sh
# Creates Temporal's two databases on the compose Postgres and brings their schemas up to the
# version of this admin-tools image. Idempotent: on a later start only newer versions are applied.
set -eu

tool() {
  temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

for pair in temporal:temporal visibility:temporal_visibility; do
  schema=${pair%%:*}
  database=${pair#*:}
  dir=/etc/temporal/schema/postgresql/v12/$schema/versioned
  tool --db "$database" create 2>/dev/null || true   # already there on every start but the first
  # update-schema needs the version table that setup-schema creates; running setup-schema again
  # on an initialised database would reset its version, so it runs only when update-schema cannot.
  if ! tool --db "$database" update-schema -d "$dir"; then
    tool --db "$database" setup-schema -v 0.0
    tool --db "$database" update-schema -d "$dir"
  fi
  echo "$database: schema up to date"
done
