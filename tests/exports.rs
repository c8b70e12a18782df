//! Files planners take away: the selection as CSV (read back with the `csv` crate) and GeoJSON (read back with the
//! `geojson` crate), the Diagram 3 table picture, and the project file (round trip, interrupted save, path safety).

mod common;

use locality_map::analysis::{AreaFilter, EditionComparison, SelectionRule};
use locality_map::export::{
    CivilDate, TABLE_IMPROVED, TABLE_TOP1, TABLE_WORSENED, UTF8_BOM, render_diagram3, save_selection_csv,
    save_selection_geojson, selected_rows,
};
use locality_map::io::save_atomic;
use locality_map::model::{AreaCode, Persons};
use locality_map::project::{
    DataFolder, DataFolderStatus, Project, ProjectError, open_project, save_project, write_project,
};
use locality_map::render::MapView;
use locality_map::style::{Classification, DivergingPalette, MapChoices, MapMode};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn leeds() -> EditionComparison {
    EditionComparison::new(common::embedded_dataset(), &AreaFilter::parse("Leeds"), 2015, 2019).unwrap()
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lm-exports-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The 1% in either edition plus two LSOAs outside it: a selection with every kind of row.
fn selection(comparison: &EditionComparison) -> BTreeSet<AreaCode> {
    let mut codes = SelectionRule::Top1Either.select(comparison);
    codes.extend(
        comparison
            .rows
            .iter()
            .filter(|r| !r.in_top1_from && !r.in_top1_to)
            .step_by(100)
            .map(|r| r.lsoa_code),
    );
    assert!(codes.len() > 20);
    codes
}

#[test]
fn selection_csv_round_trips_to_the_engines_rows() {
    let comparison = leeds();
    let codes = selection(&comparison);
    let dir = temp_dir("csv");
    let path = dir.join("selection.csv");
    let written = save_selection_csv(&path, false, &comparison, &codes).unwrap();
    assert_eq!(written, codes.len());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(UTF8_BOM), "UTF-8 with BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[UTF8_BOM.len()..]);
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "lsoa_code",
            "lsoa_name",
            "ward_code",
            "ward_name",
            "rank_2015",
            "rank_2019",
            "change",
            "decile_2015",
            "decile_2019",
            "in_top1_2015",
            "in_top1_2019",
            "population",
            "transition",
            "la_rank_2015",
            "la_rank_2019",
            "percentile_2015",
            "percentile_2019",
            "percentile_change"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = selected_rows(&comparison, &codes);
    assert_eq!(records.len(), expected.len());
    let opt = |text: &str| (!text.is_empty()).then(|| text.to_string());
    for (record, row) in records.iter().zip(&expected) {
        assert_eq!(&record[0], row.lsoa_code.as_str());
        assert_eq!(&record[1], row.lsoa_name);
        assert_eq!(opt(&record[2]), row.ward_code.map(|c| c.to_string()));
        assert_eq!(&record[3], row.ward_name);
        assert_eq!(record[4].parse::<u32>().ok(), row.rank_from);
        assert_eq!(record[5].parse::<u32>().ok(), row.rank_to);
        assert_eq!(record[6].parse::<i64>().ok(), row.change);
        assert_eq!(record[7].parse::<u8>().ok(), row.decile_from);
        assert_eq!(record[8].parse::<u8>().ok(), row.decile_to);
        assert_eq!(record[9].parse::<bool>().unwrap(), row.in_top1_from);
        assert_eq!(record[10].parse::<bool>().unwrap(), row.in_top1_to);
        // Whole residents stay a whole-number column.
        assert_eq!(record[11].parse::<u32>().ok().map(Persons::whole), row.population);
        assert_eq!(&record[12], row.transition.key());
        assert_eq!(record[13].parse::<u32>().ok(), row.la_rank_from);
        assert_eq!(record[14].parse::<u32>().ok(), row.la_rank_to);
        let close = |text: &str, value: Option<f64>| match (text.parse::<f64>().ok(), value) {
            (Some(a), Some(b)) => (a - b).abs() <= 0.0005,
            (None, None) => true,
            _ => false,
        };
        assert!(close(&record[15], row.percentile_from), "{}", &record[15]);
        assert!(close(&record[16], row.percentile_to), "{}", &record[16]);
        assert!(close(&record[17], row.percentile_change), "{}", &record[17]);
    }
    // E01011623 moved into the 1%: 1031 → 318.
    let moved_in = records.iter().find(|r| &r[0] == "E01011623").unwrap();
    assert_eq!((&moved_in[4], &moved_in[5], &moved_in[6]), ("1031", "318", "-713"));
    assert_eq!(&moved_in[12], "moved_in");
    // Every Leeds LSOA has a rank within Leeds (1 = most deprived of its 482) in both editions.
    assert!(
        records
            .iter()
            .all(|r| r[13].parse::<u32>().is_ok_and(|n| (1..=482).contains(&n)))
    );
    assert!(
        records.iter().all(|r| !r[11].is_empty()),
        "population known for 2011 LSOAs"
    );
    // A second save refuses to replace the file.
    assert!(save_selection_csv(&path, false, &comparison, &codes).is_err());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn selection_geojson_reads_back_in_wgs84_over_leeds() {
    let comparison = leeds();
    let codes = selection(&comparison);
    let dir = temp_dir("geojson");
    let path = dir.join("selection.geojson");
    save_selection_geojson(&path, false, common::embedded_dataset(), &comparison, &codes).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let collection: geojson::FeatureCollection = text.parse().expect("valid GeoJSON");
    assert_eq!(collection.features.len(), codes.len());
    let mut vertices = 0;
    for feature in &collection.features {
        let lsoa = feature.property("lsoa_code").and_then(|v| v.as_str()).unwrap();
        assert!(codes.contains(&code(lsoa)));
        for key in ["rank_2015", "rank_2019", "change", "decile_2019", "population"] {
            assert!(feature.property(key).is_some_and(|v| v.is_number()), "{lsoa} {key}");
        }
        assert!(feature.property("in_top1_2019").is_some_and(|v| v.is_boolean()));
        let geometry = feature.geometry.as_ref().expect("every Leeds LSOA has a boundary");
        let geojson::GeometryValue::MultiPolygon { coordinates } = &geometry.value else {
            panic!("{lsoa}: {:?}", geometry.value);
        };
        for position in coordinates.iter().flatten().flatten() {
            let (lon, lat) = (position[0], position[1]);
            assert!(
                (-1.8..-1.2).contains(&lon) && (53.6..54.0).contains(&lat),
                "{lsoa}: {lon}, {lat}"
            );
            vertices += 1;
        }
    }
    assert!(vertices > 1000, "{vertices} vertices");
    let moved_in = collection
        .features
        .iter()
        .find(|f| f.property("lsoa_code").and_then(|v| v.as_str()) == Some("E01011623"))
        .unwrap();
    assert_eq!(moved_in.property("rank_2019").and_then(|v| v.as_u64()), Some(318));
    assert_eq!(moved_in.property("in_top1_2019").and_then(|v| v.as_bool()), Some(true));
    std::fs::remove_dir_all(dir).ok();
}

fn colour_at(image: &tiny_skia::Pixmap, x: f32, y: f32) -> [u8; 3] {
    let p = image.pixel(x as u32, y as u32).unwrap();
    [p.red(), p.green(), p.blue()]
}

#[test]
fn diagram3_png_has_its_rows_and_cell_colours() {
    let comparison = leeds();
    let date = CivilDate::from_days_since_epoch(20_454);
    let table = render_diagram3(&comparison, 150.0, date).unwrap();
    assert_eq!(table.cells.len(), 16 + 12 - 9, "in the 1% in either edition");
    let (w, h) = (table.image.width(), table.image.height());
    assert!((1000..4000).contains(&w) && (800..4000).contains(&h), "{w}×{h}");
    // Same content, same size: the layout depends on the text only.
    let again = render_diagram3(&comparison, 150.0, date).unwrap();
    assert_eq!((again.image.width(), again.image.height()), (w, h));
    // Ordered by ward, then LSOA.
    let wards: Vec<String> = table
        .cells
        .iter()
        .map(|(c, _)| {
            comparison
                .rows
                .iter()
                .find(|r| r.lsoa_code == *c)
                .unwrap()
                .ward_name
                .clone()
        })
        .collect();
    let mut sorted = wards.clone();
    sorted.sort();
    assert_eq!(wards, sorted);
    let sample = |lsoa: &str, column: usize| {
        let (_, cells) = table.cells.iter().find(|(c, _)| c.as_str() == lsoa).unwrap();
        let cell = cells[column];
        colour_at(
            &table.image,
            cell.min[0] + cell.width() * 0.2,
            cell.min[1] + cell.height() / 2.0,
        )
    };
    let rgb = |c: locality_map::style::Rgba| [c.0[0], c.0[1], c.0[2]];
    // E01011623: 1031 → 318, moved into the 1%: rank 2015 plain, rank 2019 orange, change red.
    let plain = |rgb: [u8; 3]| rgb == [255, 255, 255] || rgb == [244, 244, 244]; // white or the stripe
    assert!(plain(sample("E01011623", 2)), "{:?}", sample("E01011623", 2));
    assert_eq!(sample("E01011623", 3), rgb(TABLE_TOP1));
    assert_eq!(sample("E01011623", 4), rgb(TABLE_WORSENED));
    // E01011372 (Hunslet & Riverside): 22 → 38, in the 1% in both, improved.
    assert_eq!(sample("E01011372", 2), rgb(TABLE_TOP1));
    assert_eq!(sample("E01011372", 3), rgb(TABLE_TOP1));
    assert_eq!(sample("E01011372", 4), rgb(TABLE_IMPROVED));
    // Larger DPI, larger picture.
    let print = render_diagram3(&comparison, 300.0, date).unwrap();
    assert!(print.image.width() > w * 19 / 10 && print.image.height() > h * 19 / 10);
    if std::env::var_os("LOCALITY_MAP_KEEP_EXPORTS").is_some() {
        locality_map::export::save_png_atomic(&print.image, Path::new("/tmp/diagram3.png"), 300.0, true).unwrap();
    }
}

fn sample_project() -> Project {
    Project {
        data: DataFolder::Folder("data".into()),
        choices: MapChoices {
            la: "Leeds".into(),
            from: 2015,
            to: 2019,
            mode: MapMode::DecileLater,
            palette: DivergingPalette::ALL[1],
            classification: Classification::Quantiles,
        },
        view: Some(MapView {
            center_in_world: geo::Coord {
                x: 430_123.5,
                y: 433_456.25,
            },
            metres_per_point: 12.75,
        }),
        named_selections: BTreeMap::from([
            ("Hunslet".to_string(), BTreeSet::from([code("E01011372")])),
            (
                "Flexing pilot".to_string(),
                BTreeSet::from([code("E01011623"), code("E01011263")]),
            ),
        ]),
        selection: BTreeSet::from([code("E01011623")]),
        report_title: Some("Leeds: where deprivation deepened".into()),
        ..Project::default()
    }
}

#[test]
fn project_save_then_open_gives_the_same_state() {
    let dir = temp_dir("project");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let path = dir.join("leeds.lmap");
    let project = sample_project();
    save_project(&path, &project, false).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"format\": \"locality-map-project\"") && text.contains("\"version\": 1"));
    let opened = open_project(&path).unwrap();
    assert_eq!(opened.project, project);
    assert_eq!(opened.data, DataFolderStatus::Ready(dir.join("data")));
    // Not replaced without asking; replaced when asked.
    assert!(matches!(
        save_project(&path, &project, false),
        Err(ProjectError::Save(_))
    ));
    save_project(&path, &project, true).unwrap();
    assert_eq!(files_in(&dir), ["data", "leeds.lmap"]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_interrupted_save_leaves_the_previous_project_byte_identical() {
    let dir = temp_dir("interrupted");
    let path = dir.join("leeds.lmap");
    save_project(&path, &sample_project(), false).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut changed = sample_project();
    changed.choices.la = "Bradford".into();
    let result = save_atomic(&path, true, |out| {
        let mut whole = Vec::new();
        write_project(&changed, &mut whole)?;
        out.write_all(&whole[..whole.len() / 2])?;
        Err(std::io::Error::other("the disk filled up"))
    });
    let message = result.unwrap_err().to_string();
    assert!(message.contains("leeds.lmap"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "previous file untouched");
    assert_eq!(files_in(&dir), ["leeds.lmap"], "no temporary file left");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn data_folders_outside_the_project_need_confirmation() {
    let dir = temp_dir("unsafe");
    for (folder, name) in [("../../etc/passwd", "climb.lmap"), ("/etc", "absolute.lmap")] {
        let project = Project {
            data: DataFolder::Folder(folder.into()),
            ..sample_project()
        };
        let path = dir.join(name);
        save_project(&path, &project, false).unwrap();
        let opened = open_project(&path).unwrap();
        match opened.data {
            DataFolderStatus::NeedsConfirmation { reason, .. } => {
                assert!(reason.contains("outside the project's folder"), "{reason}")
            }
            other => panic!("{folder} must not be read silently: {other:?}"),
        }
        assert_eq!(
            opened.project.selection, project.selection,
            "the rest of the project opens"
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_missing_data_folder_keeps_the_selections() {
    let dir = temp_dir("missing");
    let path = dir.join("leeds.lmap");
    let project = Project {
        data: DataFolder::Folder("gone".into()),
        ..sample_project()
    };
    save_project(&path, &project, false).unwrap();
    let opened = open_project(&path).unwrap();
    assert_eq!(opened.data, DataFolderStatus::Missing(dir.join("gone")));
    assert_eq!(opened.project.selection, project.selection);
    assert_eq!(opened.project.named_selections, project.named_selections);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_newer_project_is_refused_clearly() {
    let dir = temp_dir("newer");
    let path = dir.join("future.lmap");
    std::fs::write(
        &path,
        r#"{"format": "locality-map-project", "version": 7, "la": "Leeds", "hologram": true}"#,
    )
    .unwrap();
    let message = open_project(&path).unwrap_err().to_string();
    assert!(
        message.contains("version 7") && message.contains("newer Locality Map"),
        "{message}"
    );
    std::fs::remove_dir_all(dir).ok();
}
