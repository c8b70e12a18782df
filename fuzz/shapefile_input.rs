//! The shapefile fuzz target's input layout, shared by the target (`fuzz_targets/shapefile.rs`) and the regression
//! tests that replay its finds (`tests/fuzz_regressions.rs`), so both cut an input the same way.
//!
//! Four little-endian u32 lengths (shp, shx, dbf, prj), then the four bodies one after another. Lengths are clamped
//! to what is left; an empty .shx, .dbf or .prj stands for a missing sidecar.

use locality_map::io::ShapefileParts;

/// The four files cut from one input.
pub fn shapefile_parts(data: &[u8]) -> ShapefileParts<'_> {
    let mut lengths = [0usize; 4];
    for (i, length) in lengths.iter_mut().enumerate() {
        *length = data
            .get(i * 4..i * 4 + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    }
    let mut rest = data.get(16..).unwrap_or_default();
    let mut parts: [&[u8]; 4] = [&[]; 4];
    for (part, length) in parts.iter_mut().zip(lengths) {
        let (head, tail) = rest.split_at(length.min(rest.len()));
        *part = head;
        rest = tail;
    }
    let [shp, shx, dbf, prj] = parts;
    fn sidecar(bytes: &[u8]) -> Option<&[u8]> {
        (!bytes.is_empty()).then_some(bytes)
    }
    ShapefileParts {
        shp,
        shx: sidecar(shx),
        dbf: sidecar(dbf),
        prj: sidecar(prj),
    }
}
