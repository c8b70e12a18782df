#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET SECONDS [more libFuzzer flags]
# Targets: geojson shapefile prj_wkt imd_csv imd_xlsx lookup_csv project cache. Needs a nightly toolchain and `cargo install cargo-fuzz`.
# Stops after SECONDS or 1,000,000 executions, whichever comes first (override with -runs=N).
# New inputs go to fuzz/corpus_work/TARGET (not committed); the committed seeds in fuzz/corpus/TARGET are only read.
# A crash, timeout (> 1 s) or OOM (> 1 GB) is saved in fuzz/artifacts/TARGET/; reproduce it with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET SECONDS [libFuzzer flags]}
seconds=${2:-600}
shift 2 || shift $#
case "$target" in
  geojson | shapefile) max_len=65536 ;;
  imd_xlsx) max_len=32768 ;;
  imd_csv | lookup_csv | prj_wkt | project) max_len=8192 ;;
  cache) max_len=65536 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "corpus_work/$target" "artifacts/$target"
exec cargo +nightly fuzz run "$target" "corpus_work/$target" "corpus/$target" -- \
  -max_total_time="$seconds" -runs=1000000 -max_len="$max_len" -timeout=1 -rss_limit_mb=1024 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1 "$@"
