#!/usr/bin/env bash
# Restores, builds and runs every test project, then prints, as its last line,
#   Tests: N passed, M failed, K skipped
# (totals over all projects). Exits non-zero on a build error or any failed test.
# Usage: build/test.sh [filter]   (filter: a dotnet test --filter expression, optional)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
filter=()
[ $# -gt 0 ] && filter=(--filter "$1")

# The PostgreSQL and RabbitMQ tests run against real servers on 127.0.0.1 and are never skipped. When a variable is
# missing and this user may install and start services (root, or sudo without a password), the .ci scripts do it
# (Debian packages; idempotent and quick when the server already runs); otherwise the script says how.
can_admin() { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }
need_server() { # variable, script, what
  local variable="$1" script="$2" what="$3"
  [ -n "${!variable:-}" ] && return 0
  if can_admin; then
    echo "$variable is not set: starting $what with $script."
    eval "$(bash "$script")"
  fi
  if [ -z "${!variable:-}" ]; then
    echo "$variable is not set and $what could not be started here: its tests will fail. Start it with"
    echo "  eval \"\$(sudo bash $script)\""
    echo "(installs the Debian package if missing, starts it on 127.0.0.1, creates the test user) or set $variable."
    if [ "${CI:-}" = "true" ]; then echo "CI=true: refusing to run without $what."; echo "Tests: 0 passed, 1 failed, 0 skipped"; exit 1; fi
  fi
}
need_server CONCORD_POSTGRES .ci/postgres.sh "PostgreSQL"
need_server CONCORD_RABBITMQ .ci/rabbitmq.sh "RabbitMQ"

started=$(date +%s)
if ! dotnet build Connectors.sln -c "$configuration" -nologo -clp:ErrorsOnly; then
  echo "Build failed."
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

passed=0; failed=0; skipped=0; status=0
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c "$configuration" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" --blame-hang-timeout 10m "${filter[@]}"
  rc=$?
  trx="$results/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    # xunit records a skipped test as not executed without counting it under notExecuted: skipped = total - executed.
    p=$(get passed); f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) )); s=$(( $(get total) - $(get executed) ))
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); echo "$name: test host failed (exit $rc)"; fi
  else
    echo "$name: no results (exit $rc)"; failed=$((failed + 1))
  fi
  [ "$rc" -ne 0 ] && status=1
done

echo "Elapsed: $(( $(date +%s) - started )) s"
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -gt 0 ] && status=1
exit $status
