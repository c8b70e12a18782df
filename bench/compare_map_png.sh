#!/usr/bin/env bash
# Whole-process time, start to PNG on disk, of the Leeds 3000×3000 rank-change map (and the A4 300 dpi report):
# `locality-map map` (release) against geopandas + matplotlib on the same Leeds LSOA file joined to the IMD 2015 and
# 2019 File 1 ranks. Uses hyperfine when installed, else 5 runs and the median. Prints medians and peer ÷ ours.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${DATA:-$here/../shared/data}"
target="${CARGO_TARGET_DIR:-$here/target}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet --bin locality-map --manifest-path "$here/Cargo.toml"
bin="$target/release/locality-map"

# Ours reads the same files as the peer (plus the Leeds 2019 ward polygons, for ward outlines and labels), not the
# whole shared folder with the national boundaries.
mkdir -p "$out/leeds"
for f in boundaries/Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson boundaries/Leeds_E08000035_wards_2019_BGC_WGS84.geojson \
  imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv; do
  ln -s "$data/$f" "$out/leeds/$(basename "$f")"
done
ours_square="$bin --data $out/leeds map --la Leeds --width 3000 --height 3000 --out $out/ours.png --force"
ours_a4="$bin --data $out/leeds map --la Leeds --out $out/ours_a4.png --force"

cat > "$out/peer.py" <<PY
import sys, pandas as pd, geopandas as gpd, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
data = "$data"
lsoa = gpd.read_file(data + "/boundaries/Leeds_E08000035_lsoa11_BGC_EPSG27700.geojson")
r15 = pd.read_csv(data + "/imd2015/File_1_ID_2015_Index_of_Multiple_Deprivation.csv", thousands=",")
r19 = pd.read_csv(data + "/imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv", thousands=",")
r15 = r15.iloc[:, [0, 4]].set_axis(["code", "rank_2015"], axis=1)
r19 = r19.iloc[:, [0, 4]].set_axis(["code", "rank_2019"], axis=1)
code = [c for c in lsoa.columns if c.upper().startswith("LSOA11CD")][0]
m = lsoa.merge(r15, left_on=code, right_on="code").merge(r19, left_on=code, right_on="code", suffixes=("", "_19"))
m["change"] = m["rank_2019"] - m["rank_2015"]
fig, ax = plt.subplots(figsize=(10, 10), dpi=300)
m.plot(column="change", cmap="RdBu", scheme=None, vmin=-1000, vmax=1000, ax=ax, edgecolor="#505050", linewidth=0.1, legend=True)
ax.set_axis_off()
fig.savefig(sys.argv[1], dpi=300)
PY
peer="python3 $out/peer.py $out/peer.png"
have_peer=1
if ! python3 -c "import geopandas, matplotlib" 2>/dev/null; then
  echo "geopandas + matplotlib not available (pip install geopandas matplotlib); peer skipped"
  have_peer=0
elif ! $peer; then
  echo "the geopandas script failed; peer skipped"
  have_peer=0
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
time_runs() { # prints the median seconds of 5 runs of "$1"
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N); bash -c "$1" >/dev/null 2>&1; end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done | median
}
if command -v hyperfine >/dev/null; then
  cmds=("$ours_square" "$ours_a4")
  [ "$have_peer" = 1 ] && cmds+=("$peer")
  hyperfine --warmup 1 --runs 7 --export-json "$out/h.json" "${cmds[@]}" >&2
  python3 - "$out/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
names = ["ours: Leeds 3000x3000", "ours: Leeds A4 300 dpi report", "geopandas+matplotlib: Leeds 3000x3000"]
for name, x in zip(names, r):
    print(f"{name:40s} median {x['median']:.3f} s")
if len(r) == 3:
    print(f"{'ratio peer / ours (3000x3000)':40s} {r[2]['median'] / r[0]['median']:.1f}x")
PY
else
  s=$(time_runs "$ours_square"); a=$(time_runs "$ours_a4")
  printf '%-40s median %.3f s\n' "ours: Leeds 3000x3000" "$s" "ours: Leeds A4 300 dpi report" "$a"
  if [ "$have_peer" = 1 ]; then
    p=$(time_runs "$peer")
    printf '%-40s median %.3f s\n' "geopandas+matplotlib: Leeds 3000x3000" "$p"
    printf '%-40s %.1fx\n' "ratio peer / ours (3000x3000)" "$(echo "$p / $s" | bc -l)"
  fi
fi
