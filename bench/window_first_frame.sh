#!/usr/bin/env bash
# Window start to the first frame with the map (the window's own LOCALITY_MAP_TIMING line "first frame with the map
# after N ms", measured from process start), release, under Xvfb, for the embedded Leeds default, the whole data
# folder on Leeds and the whole folder on All England; cold (--no-cache: every file read) and warm (the processed-
# data cache filled by a run before). Also the peak memory (VmHWM) once the whole load is in.
# Usage: bench/window_first_frame.sh [DATA_DIR]   (BIN=path/to/locality-map to time another build; RUNS=5)
# Settings and the cache live in scratch XDG_DATA_HOME / XDG_CACHE_HOME folders, never the user's own.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="$(cd "${1:-$here/../shared/data}" && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin locality-map --manifest-path "$here/Cargo.toml"
  BIN="$target/release/locality-map"
fi
runs="${RUNS:-5}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_CACHE_HOME="$scratch/cache"
unset LOCALITY_MAP_CACHE LOCALITY_MAP_DATA

settings() { # folder (or "embedded"), LA -> app.ron in a scratch XDG_DATA_HOME
  local folder="None"
  [ "$1" != embedded ] && folder="Some(\\\"$1\\\")"
  mkdir -p "$scratch/data/localitymap"
  cat >"$scratch/data/localitymap/app.ron" <<RON
{
    "locality-map-settings": "(data_folder:$folder,la:\"$2\",from:2015,to:2019,mode:RankChange,palette:RedBlue,classification:Fixed([-500,-100,-20,20,100,500]),show_transitions:true,show_lsoa_lines:true,show_ward_labels:true,colour_vision:Normal,show_distribution:true,tool:Pan)",
}
RON
}

cat >"$scratch/one.sh" <<'ONE'
#!/usr/bin/env bash
# One window: waits for the first map, then for the whole load when it was staged, then reads VmHWM and closes it.
set -uo pipefail
log="$1"; shift
LOCALITY_MAP_TIMING=1 "$@" 2>"$log" &
pid=$!
for _ in $(seq 1 600); do grep -q "first frame with the map" "$log" 2>/dev/null && break; sleep 0.05; done
sleep 0.5 # a staged load says "first part ready" before its first frame; the rest says "the rest in"
if grep -q "first part ready" "$log"; then
  for _ in $(seq 1 1200); do grep -q "the rest in" "$log" && break; sleep 0.05; done
fi
sleep 1
grep VmHWM /proc/$pid/status >>"$log"
kill $pid; wait $pid 2>/dev/null || true
ONE
chmod +x "$scratch/one.sh"

run_case() { # label, folder|embedded, LA, cold|warm
  local label="$1" folder="$2" la="$3" mode="$4" flag=""
  settings "$folder" "$la"
  [ "$mode" = cold ] && flag="--no-cache"
  if [ "$mode" = warm ]; then # fill the cache once
    XDG_DATA_HOME="$scratch/data" WGPU_BACKEND="${WGPU_BACKEND:-gl}" xvfb-run -a -s "-screen 0 1600x1000x24" \
      "$scratch/one.sh" "$scratch/log" "$BIN" >/dev/null 2>&1
  fi
  local firsts=() hwm="" how=""
  for _ in $(seq 1 "$runs"); do
    XDG_DATA_HOME="$scratch/data" WGPU_BACKEND="${WGPU_BACKEND:-gl}" xvfb-run -a -s "-screen 0 1600x1000x24" \
      "$scratch/one.sh" "$scratch/log" "$BIN" $flag >/dev/null 2>&1
    firsts+=("$(sed -n 's/.*first frame with the map after \([0-9]*\) ms.*/\1/p' "$scratch/log" | head -1)")
    hwm="$(awk '/VmHWM/ {print int($2 / 1024)}' "$scratch/log")"
    how="$(grep -o "data loaded from [a-z -]*\|from the processed-data cache, in one step\|first part ready" "$scratch/log" | tail -1)"
  done
  local sorted median
  sorted=$(printf '%s\n' "${firsts[@]}" | sort -n | tr '\n' ' ')
  median=$(printf '%s\n' "${firsts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-28s %-5s first frame median %5s ms (runs: %s) VmHWM %s MB [%s]\n' "$label" "$mode" "$median" "$sorted" "$hwm" "$how"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in cold warm; do
  run_case "embedded Leeds" embedded Leeds "$mode"
  run_case "whole folder, Leeds" "$data" Leeds "$mode"
  run_case "whole folder, All England" "$data" "All England" "$mode"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
