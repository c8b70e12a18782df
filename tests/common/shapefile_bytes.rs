//! Shapefiles built byte by byte, for tests that feed the reader what no exporter writes.

/// A `.shp` holding one polygon record of one ring, in British National Grid metres, and its `.shx` with
/// `shx_entries` entries, every one pointing at that record (1 for a sound index).
pub fn one_ring_shapefile(ring: &[(f64, f64)], shx_entries: usize) -> (Vec<u8>, Vec<u8>) {
    let mut record = Vec::new();
    record.extend_from_slice(&5i32.to_le_bytes());
    let (xs, ys): (Vec<f64>, Vec<f64>) = ring.iter().copied().unzip();
    let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
    for v in [min(&xs), min(&ys), max(&xs), max(&ys)] {
        record.extend_from_slice(&v.to_le_bytes());
    }
    record.extend_from_slice(&1i32.to_le_bytes());
    record.extend_from_slice(&(ring.len() as i32).to_le_bytes());
    record.extend_from_slice(&0i32.to_le_bytes());
    for (x, y) in ring {
        record.extend_from_slice(&x.to_le_bytes());
        record.extend_from_slice(&y.to_le_bytes());
    }
    let words = (record.len() / 2) as i32;
    let header = |file_words: i32| {
        let mut h = vec![0u8; 100];
        h[0..4].copy_from_slice(&9994i32.to_be_bytes());
        h[24..28].copy_from_slice(&file_words.to_be_bytes());
        h[28..32].copy_from_slice(&1000i32.to_le_bytes());
        h[32..36].copy_from_slice(&5i32.to_le_bytes());
        for (at, v) in [(36, min(&xs)), (44, min(&ys)), (52, max(&xs)), (60, max(&ys))] {
            h[at..at + 8].copy_from_slice(&v.to_le_bytes());
        }
        h
    };
    let mut shp = header(50 + 4 + words);
    shp.extend_from_slice(&1i32.to_be_bytes());
    shp.extend_from_slice(&words.to_be_bytes());
    shp.extend_from_slice(&record);
    let mut shx = header(50 + 4 * shx_entries as i32);
    for _ in 0..shx_entries {
        shx.extend_from_slice(&50i32.to_be_bytes());
        shx.extend_from_slice(&words.to_be_bytes());
    }
    (shp, shx)
}
