#!/usr/bin/env bash
# All England, against the Python peers, in one run on the same files:
#   1. load + index of the national LSOA GeoJSON (criterion, in-process) vs geopandas read_file (+ to_crs 27700)
#   2. national 3000x3000 PNG, whole process start to file on disk (hyperfine) vs geopandas + matplotlib
#   3. hit-test of the same 100,000 points (written by the hit_test bench) vs shapely 2 STRtree queries
#   4. frame time while panning and zooming the national map (criterion, frame_national) - no peer
#   5. peak memory (max RSS, /usr/bin/time -v) of the national PNG export
#   6. the processed-data cache: the national PNG and `summary --la Leeds` from the whole folder with no cache, a cold
#      cache (emptied before each run: load + save) and a warm one; the whole-folder load warm (criterion)
#   7. the window: start to the first frame with the map, cold and warm, embedded / whole folder Leeds / All England
# Rows 1-5 run with --no-cache (as before the cache); the cache lives in a scratch XDG_CACHE_HOME, never in ~/.cache.
# Peers are skipped with a message when geopandas/shapely/matplotlib are missing. Prints medians and peer / ours.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="$(cd "${DATA:-$here/../shared/data}" && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export XDG_CACHE_HOME="$out/cache"
unset LOCALITY_MAP_CACHE
national="$data/boundaries/LSOA_Dec_2011_BSC_EW_V3.geojson"
results="$out/results.tsv" # name \t ours seconds \t peer seconds (or -)
: >"$results"

cargo build --release --quiet --bin locality-map --manifest-path "$here/Cargo.toml"
bin="$target/release/locality-map"
have_python=1
python3 -c "import geopandas, shapely, matplotlib" 2>/dev/null || {
  echo "geopandas / shapely / matplotlib not available (pip install geopandas matplotlib); peers skipped" >&2
  have_python=0
}

criterion_median() { # group, benchmark id -> median seconds from criterion's estimates
  python3 - "$target/criterion" "$1" "$2" <<'PY'
import json, os, sys
root, group, wanted = sys.argv[1:]
for d in os.listdir(os.path.join(root, group)):
    b = os.path.join(root, group, d, "new", "benchmark.json")
    if os.path.exists(b) and json.load(open(b))["function_id"] == wanted:
        print(json.load(open(os.path.join(root, group, d, "new", "estimates.json")))["median"]["point_estimate"] / 1e9)
        break
PY
}

# 1. Load + index.
echo "== load + index (criterion: cargo bench --bench load)" >&2
cargo bench --quiet --bench load --manifest-path "$here/Cargo.toml" -- --noplot load_national >&2
ours_load=$(criterion_median load_national_geojson "read file + parse + reproject + R-tree (34,753 LSOAs)")
peer_load=-
if [ "$have_python" = 1 ]; then
  peer_load=$(python3 - "$national" <<'PY'
import sys, time, statistics, geopandas as gpd
times = []
for _ in range(5):
    t = time.perf_counter()
    df = gpd.read_file(sys.argv[1]).to_crs(27700)
    df.sindex  # build the STRtree, as ours builds its R-tree
    times.append(time.perf_counter() - t)
print(statistics.median(times))
PY
)
fi
printf 'load + reproject + index, national GeoJSON\t%s\t%s\n' "$ours_load" "$peer_load" >>"$results"

# 2. National 3000 x 3000 PNG, whole process. Both sides read the same files: a folder of links to the national
# GeoJSON and the two File 1 tables the peer reads, plus the LSOA -> ward/LA lookup ours needs for the LA borders it
# draws (the peer draws none). Ours is also timed on the whole data folder (every edition, xlsx copies, shapefiles).
echo "== national 3000x3000 PNG (hyperfine)" >&2
same="$out/same-files"
mkdir -p "$same"
ln -s "$national" "$data/imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv" \
  "$data/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv" \
  "$data/lookups/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv" "$same/"
map_args="map --la all --from 2015 --to 2019 --width 3000 --height 3000 --force"
ours_png="$bin --no-cache --data $same $map_args --out $out/ours.png"
ours_png_folder="$bin --no-cache --data $data $map_args --out $out/ours-folder.png"
cat >"$out/peer_png.py" <<PY
import sys, pandas as pd, geopandas as gpd, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
data = "$data"
lsoa = gpd.read_file("$national").to_crs(27700)
r15 = pd.read_csv(data + "/imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv", thousands=",")
r19 = pd.read_csv(data + "/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv", thousands=",")
r15 = r15.iloc[:, [0, 4]].set_axis(["code", "rank_2015"], axis=1)
r19 = r19.iloc[:, [0, 4]].set_axis(["code", "rank_2019"], axis=1)
code = [c for c in lsoa.columns if c.upper().startswith("LSOA11CD")][0]
m = lsoa.merge(r15, how="left", left_on=code, right_on="code").merge(r19, how="left", left_on=code, right_on="code", suffixes=("", "_19"))
m["change"] = m["rank_2019"] - m["rank_2015"]
fig, ax = plt.subplots(figsize=(10, 10), dpi=300)
m.plot(column="change", cmap="RdBu", vmin=-1000, vmax=1000, ax=ax, edgecolor="none", legend=True,
       missing_kwds={"color": "#bdbdbd"})
ax.set_axis_off()
fig.savefig(sys.argv[1], dpi=300)
PY
peer_png="python3 $out/peer_png.py $out/peer.png"
cmds=("$ours_png" "$ours_png_folder")
if [ "$have_python" = 1 ] && $peer_png; then cmds+=("$peer_png"); else echo "geopandas PNG peer skipped" >&2; fi
hyperfine --warmup 1 --runs 5 --export-json "$out/png.json" "${cmds[@]}" >&2
read -r ours_png_s ours_folder_s peer_png_s < <(python3 - "$out/png.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(r[0]["median"], r[1]["median"], r[2]["median"] if len(r) > 2 else "-")
PY
)
printf 'national 3000x3000 PNG, whole process\t%s\t%s\n' "$ours_png_s" "$peer_png_s" >>"$results"
printf 'the same PNG, reading the whole data folder\t%s\t%s\n' "$ours_folder_s" "$peer_png_s" >>"$results"

# 3. Hit-test of the same 100,000 points.
echo "== hit-test (criterion: cargo bench --bench hit_test)" >&2
HIT_TEST_POINTS="$out/points.csv" cargo bench --quiet --bench hit_test --manifest-path "$here/Cargo.toml" -- --noplot >&2
ours_hit=$(criterion_median hit_test "100k random points, national LSOAs")
peer_hit=-
if [ "$have_python" = 1 ]; then
  peer_hit=$(python3 - "$national" "$out/points.csv" <<'PY'
import sys, time, statistics, numpy as np, geopandas as gpd, shapely
polygons = gpd.read_file(sys.argv[1]).to_crs(27700).geometry.values
xy = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
points = shapely.points(xy)
tree = shapely.STRtree(polygons)
times = []
for _ in range(7):
    t = time.perf_counter()
    point_index, _ = tree.query(points, predicate="within")
    times.append(time.perf_counter() - t)
print(f"shapely: {len(np.unique(point_index))} of {len(points)} points fall in an LSOA", file=sys.stderr)
print(statistics.median(times))
PY
)
fi
printf 'hit-test 100,000 points (query only)\t%s\t%s\n' "$ours_hit" "$peer_hit" >>"$results"

# 4. Frame times of the national window (no peer).
echo "== national frames (criterion: cargo bench --bench frame_national)" >&2
WGPU_BACKEND=gl cargo bench --quiet --bench frame_national --manifest-path "$here/Cargo.toml" -- --noplot >&2
python3 - "$target/criterion/frame_national" >>"$results" <<'PY'
import json, os, sys
root = sys.argv[1]
rows = []
for d in os.listdir(root):
    b = os.path.join(root, d, "new", "benchmark.json")
    if os.path.exists(b):
        name = json.load(open(b))["function_id"]
        median = json.load(open(os.path.join(root, d, "new", "estimates.json")))["median"]["point_estimate"] / 1e9
        rows.append((name, median))
for name, median in sorted(rows):
    print(f"frame: {name}\t{median}\t-")
PY

# 5. Peak memory.
echo "== peak memory (/usr/bin/time -v)" >&2
rss_kb=$(/usr/bin/time -v $ours_png 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
printf 'peak RSS, national PNG export (MB)\t%s\t-\n' "$(echo "$rss_kb / 1024" | bc)" >>"$results"
rss_kb=$(/usr/bin/time -v $ours_png_folder 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
printf 'peak RSS, the same from the whole folder (MB)\t%s\t-\n' "$(echo "$rss_kb / 1024" | bc)" >>"$results"

rss_kb=$(/usr/bin/time -v ${ours_png_folder/--no-cache /} 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
rss_kb=$(/usr/bin/time -v ${ours_png_folder/--no-cache /} 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
printf 'peak RSS, the same, warm cache (MB)\t%s\t-\n' "$(echo "$rss_kb / 1024" | bc)" >>"$results"

# 6. The processed-data cache: cold (emptied before each run, so each run loads the files and saves the entry) and
# warm (filled by the warm-up), against no cache at all and against the peer.
echo "== processed-data cache: national PNG and summary, whole folder (hyperfine)" >&2
warm_png="$bin --data $data $map_args --out $out/ours-warm.png"
summary="$bin --data $data summary --la Leeds"
# One --prepare per command (hyperfine pairs them in order): the cold runs empty the cache first.
hyperfine --warmup 1 --runs 5 --export-json "$out/cache.json" \
  --command-name "png no cache" --prepare true "$ours_png_folder" \
  --command-name "png no cache, every copy parsed" --prepare true "${ours_png_folder/--no-cache /--no-cache --read-all }" \
  --command-name "png cold cache" --prepare "$bin cache clear" "$warm_png" \
  --command-name "png warm cache" --prepare true "$warm_png" \
  --command-name "summary no cache" --prepare true "$bin --no-cache --data $data summary --la Leeds" \
  --command-name "summary cold cache" --prepare "$bin cache clear" "$summary" \
  --command-name "summary warm cache" --prepare true "$summary" >&2
cmp "$out/ours-folder.png" "$out/ours-warm.png" || { echo "the PNG from the cache differs from the one without it" >&2; exit 1; }
python3 - "$out/cache.json" "$peer_png_s" >>"$results" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
peer = sys.argv[2]
for name, label, with_peer in [
    ("png no cache", "cache: national PNG, whole folder, no cache", True),
    ("png no cache, every copy parsed", "cache: the same, no cache, every copy parsed (--read-all)", True),
    ("png cold cache", "cache: the same, cold cache (load + save)", True),
    ("png warm cache", "cache: the same, warm cache", True),
    ("summary no cache", "cache: summary --la Leeds, whole folder, no cache", False),
    ("summary cold cache", "cache: the same, cold cache", False),
    ("summary warm cache", "cache: the same, warm cache", False),
]:
    print(f"{label}\t{r[name]}\t{peer if with_peer else '-'}")
PY
echo "== whole-folder load, warm cache (criterion: cargo bench --bench load -- load_cached)" >&2
cargo bench --quiet --bench load --manifest-path "$here/Cargo.toml" -- --noplot load_cached >&2
for id in "whole ../shared/data, warm cache" "whole ../shared/data tables only (summary), warm cache" "embedded default, warm cache"; do
  printf 'cache: load, %s\t%s\t-\n' "$id" "$(criterion_median load_cached "$id")" >>"$results"
done
# Peak memory of the warm summary and of a cold whole-folder load (every file parsed, then the entry saved).
rss_kb=$(/usr/bin/time -v $summary 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
printf 'cache: peak RSS, summary --la Leeds, warm cache (MB)\t%s\t-\n' "$(echo "$rss_kb / 1024" | bc)" >>"$results"
$bin cache clear >/dev/null
rss_kb=$(/usr/bin/time -v $warm_png 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
printf 'cache: peak RSS, national PNG, cold cache (MB)\t%s\t-\n' "$(echo "$rss_kb / 1024" | bc)" >>"$results"

# 7. Window start to the first frame with the map, cold (--no-cache) and warm, with VmHWM (bench/window_first_frame.sh;
# needs xvfb-run). Printed as its own block after the table.
window_rows="$out/window.txt"
if command -v xvfb-run >/dev/null; then
  echo "== window first frame (bench/window_first_frame.sh)" >&2
  BIN="$bin" RUNS="${RUNS:-5}" "$here/bench/window_first_frame.sh" "$data" >"$window_rows" || true
else
  echo "xvfb-run missing: window first-frame rows skipped" >&2
fi

echo
python3 - "$results" <<'PY'
import sys
print(f"{'benchmark':48s} {'Locality Map':>14s} {'peer':>12s} {'peer / ours':>12s}")
for line in open(sys.argv[1]):
    name, ours, peer = line.rstrip("\n").split("\t")
    def fmt(v):
        if v == "-": return "-"
        v = float(v)
        if "MB" in name: return f"{v:.0f} MB"
        return f"{v * 1e3:.1f} ms" if v < 1 else f"{v:.2f} s"
    ratio = f"{float(peer) / float(ours):.1f}x" if peer != "-" and ours != "-" else ""
    print(f"{name:48s} {fmt(ours):>14s} {fmt(peer):>12s} {ratio:>12s}")
PY
[ -s "$window_rows" ] && { echo; cat "$window_rows"; }
