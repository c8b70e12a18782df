//! `ward NAME` on a folder that has IMD tables but no ward lookup or ward boundaries says that no wards are loaded,
//! not that the ward does not exist; on an empty folder it says there is no IMD data.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn ward(data: &Path, name: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_locality-map"))
        .env("LOCALITY_MAP_CACHE", "off")
        .env_remove("LOCALITY_MAP_DATA")
        .arg("--data")
        .arg(data)
        .args(["ward", name, "--from", "2015", "--to", "2019"])
        .output()
        .unwrap()
}

#[test]
fn a_ward_without_a_ward_lookup_says_none_is_loaded() {
    let dir = common::scratch_for_this_process("lm-ward-without-lookup");
    let partial = dir.join("imd-only");
    std::fs::create_dir_all(&partial).unwrap();
    for name in [
        "File_1_ID_2015_Index_of_Multiple_Deprivation.csv",
        "File_2_-_IoD2019_Domains_of_Deprivation.csv",
    ] {
        std::fs::write(partial.join(name), common::embedded_bytes(name)).unwrap();
    }
    let out = ward(&partial, "Armley");
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("no ward lookup or ward boundaries are loaded for the 2011 LSOAs of IMD 2019"),
        "{message}"
    );
    assert!(message.contains("\"Armley\""), "names the ward asked for: {message}");
    assert!(!message.contains("no ward \"Armley\""), "{message}");
    // The embedded default has Leeds' ward lookup: there the ward is found.
    let leeds = ward(common::embedded_folder(), "Armley");
    assert!(leeds.status.success(), "{}", String::from_utf8_lossy(&leeds.stderr));
    // An empty folder: no IMD at all, said as such.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = ward(&empty, "Armley");
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(!message.contains("no ward \"Armley\""), "{message}");
    std::fs::remove_dir_all(&dir).ok();
}
