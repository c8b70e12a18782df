#!/usr/bin/env bash
# Peak memory (VmHWM) of the real window under Xvfb: opens the whole data folder on "All England" (settings written to
# a scratch XDG_DATA_HOME), waits for the map, zooms in to street level and back out with the wheel, pans, then reads
# the process's high-water mark. Needs xvfb-run and xdotool. Usage: bench/window_memory.sh [DATA_DIR]
set -euo pipefail
source "$(dirname "$0")/window_setup.sh"
cat >"$scratch/drive.sh" <<'DRIVE'
#!/usr/bin/env bash
set -euo pipefail
bin="$1"; log="$2"
LOCALITY_MAP_TIMING=1 "$bin" 2>"$log" &
pid=$!
for _ in $(seq 1 240); do grep -q "first frame with a map" "$log" 2>/dev/null && break; sleep 0.25; done
sleep 3 # the level-of-detail bands are built in the background after the first map
win=$(xdotool search --sync --name "Locality Map" | head -1)
xdotool mousemove --window "$win" 700 450
for _ in $(seq 1 "${ZOOM_STEPS:-40}"); do xdotool click 4; sleep 0.05; done # wheel up: zoom in
xdotool mousedown 1; xdotool mousemove_relative --sync 120 80; xdotool mouseup 1
for _ in $(seq 1 "${ZOOM_STEPS:-40}"); do xdotool click 5; sleep 0.05; done # wheel down: zoom out
sleep 1
grep -E "VmHWM|VmRSS" /proc/$pid/status
kill $pid
wait $pid 2>/dev/null || true
DRIVE
chmod +x "$scratch/drive.sh"
ZOOM_STEPS="${ZOOM_STEPS:-40}" XDG_DATA_HOME="$scratch" WGPU_BACKEND="${WGPU_BACKEND:-gl}" \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$scratch/drive.sh" "$target/release/locality-map" "$scratch/log"
grep -E "ms" "$scratch/log" || true
[ -n "${KEEP_LOG:-}" ] && cp "$scratch/log" "$KEEP_LOG"
