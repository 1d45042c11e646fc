#!/usr/bin/env bash
# Builds HandPose and runs every test project, then re-runs the SIMD-sensitive tests with wider instruction sets
# switched off, then the fuzz stage (tests/HandPose.Fuzz). Ends with the line "N passed, N failed, N skipped", counted from the TRX results. Exit code 0 only
# when no test failed and at least one passed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HP_ROOT"
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

export HANDPOSE_REQUIRE_NATIVE=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$HP_ROOT/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
status=0

echo "== build (Release)"
if ! dotnet build HandPose.sln -c Release -v quiet -nologo; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

run_tests() { # run_tests NAME [dotnet test args...]: every test project, one TRX file each
  local name="$1"; shift
  local project
  for project in tests/*/*.Tests.csproj; do
    local base
    base="$(basename "$project" .csproj)"
    echo "== $name: $base"
    dotnet test "$project" -c Release --no-build --nologo -v quiet \
      --logger "trx;LogFileName=$base.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results/$name" --blame-hang-timeout 15m "$@" || status=1
  done
}

run_tests all
# The same SIMD tests on every code path; HANDPOSE_EXPECT_SIMD makes a test assert which path actually ran.
# .NET 10 names: DOTNET_EnableAVX512 (not ...AVX512F), DOTNET_EnableAVX2, DOTNET_EnableHWIntrinsic.
if grep -q avx512f /proc/cpuinfo; then
  DOTNET_EnableAVX512=0 HANDPOSE_EXPECT_SIMD=256 run_tests simd-256 --filter "Category=Simd"
fi
DOTNET_EnableAVX2=0 HANDPOSE_EXPECT_SIMD=128 run_tests simd-128 --filter "Category=Simd"
DOTNET_EnableHWIntrinsic=0 HANDPOSE_EXPECT_SIMD=0 run_tests simd-scalar --filter "Category=Simd"

# Fuzz stage: every format we parse, mutated (>= 10,000 inputs, time-boxed); each format counts as one test.
echo "== fuzz"
fuzz_passed=0 fuzz_failed=1
if dotnet "$HP_ROOT/artifacts/bin/HandPose.Fuzz/release/handpose-fuzz.dll" --seconds "${HANDPOSE_FUZZ_SECONDS:-90}" \
     --min-inputs 10000 --report "$results/fuzz.txt" --artifacts "$HP_ROOT/artifacts/fuzz"; then :; else status=1; fi
[ -f "$results/fuzz.txt" ] && read -r fuzz_passed fuzz_failed < <(tail -n 1 "$results/fuzz.txt")

read -r passed failed skipped < <(/usr/bin/python3 "$HP_ROOT/scripts/count_trx.py" "$results")
passed=$((passed + fuzz_passed)); failed=$((failed + fuzz_failed))
if [ "$passed" -eq 0 ]; then
  echo "no test ran"
  status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
