#!/bin/bash
# First start of the ClickHouse container (docker-entrypoint-initdb.d, empty data directory):
# applies schemas/clickhouse/V*.sql in version order and records each in pulse.schema_migrations
# exactly as the project's migrator does (version, name, SHA-256 of the file), so that
# `./pulse schema status|apply` against this server agrees; then creates the writer and reader
# accounts of schemas/clickhouse/users/current-releases.sql with the passwords from the
# environment. Statements end with a semicolon at the end of a line (the migrations' rule).
set -euo pipefail

schema_dir="${PULSE_SCHEMA_DIR:-/pulse/schemas/clickhouse}"
client=(clickhouse-client --user "${CLICKHOUSE_USER}" --password "${CLICKHOUSE_PASSWORD}")

# Runs a script statement by statement (split at line-ending semicolons, comment-only parts
# skipped), as the migrator does.
run_script() {
  local statement="" line
  while IFS= read -r line || [[ -n "$line" ]]; do
    statement+="$line"$'\n'
    if [[ "$line" =~ \;[[:space:]]*$ ]]; then
      run_statement "$statement"
      statement=""
    fi
  done
  run_statement "$statement"
}

run_statement() {
  local body
  body=$(printf '%s' "$1" | grep -v '^[[:space:]]*--' | tr -d '[:space:]' || true)
  [[ -z "$body" || "$body" == ";" ]] && return 0
  printf '%s' "$1" | "${client[@]}" --multiquery
}

sql_quote() { printf "%s" "$1" | sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/\\\\'/g"; }

mapfile -t migrations < <(find "$schema_dir" -maxdepth 1 -name 'V*__*.sql' -printf '%f\n' \
  | sort -t_ -k1.2n)
for file in "${migrations[@]}"; do
  version=$((10#$(sed -E 's/^V([0-9]+)__.*/\1/' <<<"$file")))
  name=$(sed -E 's/^V[0-9]+__(.*)\.sql$/\1/; s/_/ /g' <<<"$file")
  applied=$("${client[@]}" -q "EXISTS TABLE pulse.schema_migrations" 2>/dev/null || echo 0)
  if [[ "$applied" == "1" ]] && [[ $("${client[@]}" -q \
      "SELECT count() FROM pulse.schema_migrations WHERE version = $version") != "0" ]]; then
    echo "pulse: V$version already applied"
    continue
  fi
  echo "pulse: applying $file"
  run_script < "$schema_dir/$file"
  checksum=$(sha256sum "$schema_dir/$file" | cut -d' ' -f1)
  "${client[@]}" -q "INSERT INTO pulse.schema_migrations (version, name, checksum, applied_at)
    VALUES ($version, '$(sql_quote "$name")', '$checksum', now())"
done

# Accounts: the placeholders of the users script, values escaped for SQL string literals.
users_sql=$(cat "$schema_dir/users/current-releases.sql")
for var in PULSE_CH_WRITER_USER PULSE_CH_WRITER_PASSWORD PULSE_CH_READER_USER \
           PULSE_CH_READER_PASSWORD; do
  value="${!var:?$var must be set}"
  users_sql="${users_sql//\$\{$var\}/$(sql_quote "$value")}"
done
run_script <<<"$users_sql"
echo "pulse: schema and accounts ready (writer ${PULSE_CH_WRITER_USER}, reader ${PULSE_CH_READER_USER})"
