#!/usr/bin/env bash
# The soak run of issue 11 §8: N Salesforce customers (default 100,000) and a shop feed into one Odoo, on the
# simulators, with 30 % faults, source edits with reverts, and the worker process SIGKILLed and restarted on the same
# SQLite state; then checks lost, duplicated, stale, events and audit, and prints how long it took.
# Exits 0 when every check holds, 1 when one fails, 2 on a bad argument.
# Usage: build/soak.sh [--customers N] [--seed S] [--kills K] [--faults SHARE] [--edits SHARE] [--shop SHARE]
#                      [--timeout MINUTES] [--folder PATH] [--keep] [--examples N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build tests/Soak/Soak.Runner -c Release -nologo -clp:ErrorsOnly
exec dotnet run -c Release --no-build --project tests/Soak/Soak.Runner -- "$@"
