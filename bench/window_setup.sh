# Sourced by the window benches: builds the release binary and writes settings that open DATA_DIR (default
# ../shared/data) on "All England" into a scratch XDG_DATA_HOME. Sets here, data, target and scratch (removed on exit).
# SHOW_DISTRIBUTION=false closes the distribution panel.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(cd "${1:-$here/../shared/data}" && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
cargo build --release --quiet --bin locality-map --manifest-path "$here/Cargo.toml"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/localitymap"
cat >"$scratch/localitymap/app.ron" <<RON
{
    "locality-map-settings": "(data_folder:Some(\"$data\"),la:\"All England\",from:2015,to:2019,mode:RankChange,palette:RedBlue,classification:Fixed([-500,-100,-20,20,100,500]),show_transitions:true,show_lsoa_lines:true,show_ward_labels:true,colour_vision:Normal,show_distribution:${SHOW_DISTRIBUTION:-true},tool:Pan)",
}
RON
