#!/usr/bin/env bash
# Whole-frame times of the real window under Xvfb on the national map (renderer included: on a machine without a GPU,
# Mesa's llvmpipe). Opens the whole data folder on "All England" (settings in a scratch XDG_DATA_HOME), repaints
# continuously (LOCALITY_MAP_FRAME_TIMES), and at the whole-country zoom and three zooms in (9, 16 and 25 wheel steps)
# sits idle, then pans with the mouse held down. Prints the window's own lines: median and slowest of each 60 frames.
# Needs xvfb-run and xdotool. Usage: bench/window_frames.sh [DATA_DIR]
set -euo pipefail
source "$(dirname "$0")/window_setup.sh"
cat >"$scratch/drive.sh" <<'DRIVE'
#!/usr/bin/env bash
set -euo pipefail
bin="$1"; log="$2"
LOCALITY_MAP_TIMING=1 LOCALITY_MAP_FRAME_TIMES=1 "$bin" 2>"$log" &
pid=$!
for _ in $(seq 1 240); do grep -q "first frame with" "$log" 2>/dev/null && break; sleep 0.25; done
sleep 4 # level-of-detail bands
xdotool search --sync --name "Locality Map" >/dev/null
xdotool mousemove 700 400
for zoom in 0 9 7 9; do
  for _ in $(seq 1 "$zoom"); do xdotool click 4; sleep 0.1; done
  sleep 1; echo "-- zoom +$zoom: idle" >>"$log"; sleep 3
  echo "-- panning" >>"$log"
  xdotool mousedown 1
  for k in $(seq 1 60); do xdotool mousemove_relative -- $(( k % 20 < 10 ? 6 : -6 )) 2; sleep 0.05; done
  xdotool mouseup 1
  xdotool mousemove 700 400
done
kill $pid
wait $pid 2>/dev/null || true
DRIVE
chmod +x "$scratch/drive.sh"
XDG_DATA_HOME="$scratch" WGPU_BACKEND="${WGPU_BACKEND:-gl}" \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$scratch/drive.sh" "$target/release/locality-map" "$scratch/log"
grep -E "^(--|frames|first)" "$scratch/log"
