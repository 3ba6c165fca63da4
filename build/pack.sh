#!/usr/bin/env bash
# Packs every project under src/ into artifacts/packages: one .nupkg and one .snupkg each.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/artifacts/packages"
rm -rf "$out"; mkdir -p "$out"
for project in $(find src -name '*.csproj' | sort); do
  dotnet pack "$project" -c Release -o "$out" -p:ContinuousIntegrationBuild=true --nologo
done
ls -1 "$out"
