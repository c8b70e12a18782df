//! The processed-data cache reader: any bytes either decode or give a `Corrupt` error, never a panic, a hang or an
//! allocation beyond a constant times the input. The checksum would turn almost every mutation away before the
//! decoder sees it, so the target also feeds the bytes to the key and model decoders directly, behind the checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_map::io::cache::{decode_entry, decode_key, decode_model, encode_entry};

fuzz_target!(|data: &[u8]| {
    if let Ok((key, dataset)) = decode_entry(data) {
        // Whatever passed every check can be written again.
        let _ = encode_entry(&key, &dataset);
    }
    let _ = decode_key(data);
    if let Ok(dataset) = decode_model(data) {
        let _ = dataset.lsoa_layers.values().map(|l| l.areas.len()).sum::<usize>();
    }
});
