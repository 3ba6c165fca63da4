#!/usr/bin/env bash
# Installs (if missing) and starts Debian's PostgreSQL on 127.0.0.1, creates the test role and database, and prints
#   export CONCORD_POSTGRES='Host=127.0.0.1;...'
# for the caller to eval. Idempotent: on a machine where the server already runs it only checks the role.
# Runs as root (CI) or as a user who may `sudo -u postgres`.
set -euo pipefail
role="${CONCORD_PG_ROLE:-concord}"
password="${CONCORD_PG_PASSWORD:-concord-ci}"
database="${CONCORD_PG_DATABASE:-concord_test}"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL (Debian package)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi

as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi; }

# The first cluster Debian created (pg_createcluster runs on install); create one if the package left none.
cluster=$(pg_lsclusters -h | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$version" main >&2
  cluster=$(pg_lsclusters -h | head -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$name" start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p "$port" -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >&2

as_postgres "psql -p $port -v ON_ERROR_STOP=1 -q -d postgres" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  ELSE
    ALTER ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SQL
if ! as_postgres "psql -p $port -tAq -d postgres -c \"SELECT 1 FROM pg_database WHERE datname = '$database'\"" | grep -q 1; then
  as_postgres "createdb -p $port -O $role $database" >&2
fi
echo "export CONCORD_POSTGRES='Host=127.0.0.1;Port=$port;Database=$database;Username=$role;Password=$password'"
