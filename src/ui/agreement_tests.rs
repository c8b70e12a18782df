//! The window's map and the report's map are painted from one description (`render::MapContent`, `top1_outline`,
//! `transition_marker`) by two painters: the window's meshes through the CPU rasteriser, the export's tiny-skia
//! paths. This draws one view of Leeds through both and checks that each class of pixel (every legend fill, the 1%
//! orange, the dark ward lines) lands in the same places. The export is drawn at 1/0.52 pixels per point, where its
//! marker radius (2.6 pt) and line widths come out as the window's (5, 3, 2.2 points) within a few tenths of a pixel.

use super::loader::embedded_leeds as leeds;
use super::map_cache::{MAP_BACKGROUND, map_meshes};
use super::paint::{screen_rect_of, to_color32};
use super::scene::MapScene;
use super::settings::Settings;
use crate::export::{MapPainter, ReportMapContent, TextPainter};
use crate::render::MapView;
use crate::style::{ColourVision, Rgba, TOP1_ORANGE, WARD_LINE};
use egui::{Color32, Pos2, Rect};
use std::sync::Arc;

const SIZE: [usize; 2] = [900, 700];

/// Both pictures of `scene` for the view fitted to it: the window's, then the export's, as RGBA rows.
fn both_pictures(scene: &MapScene, settings: &Settings) -> (Vec<[u8; 4]>, Vec<[u8; 4]>) {
    let rect = Rect::from_min_max(Pos2::ZERO, Pos2::new(SIZE[0] as f32, SIZE[1] as f32));
    let screen = screen_rect_of(rect);
    let view = MapView::fit(scene.bbox_in_world, screen);
    let transform = view.screen_from_world(screen);
    let visible = view.visible_world(screen);

    let mut cache = super::MapCache::default();
    let meshes = map_meshes(&mut cache, scene, view, &transform, visible, settings, rect, 1.0);
    let refs: Vec<&egui::Mesh> = meshes.iter().map(Arc::as_ref).collect();
    let window = super::rasterise(&refs, [0.0, 0.0], 1.0, SIZE, MAP_BACKGROUND);
    let window = window.pixels.iter().map(|c| c.to_array()).collect();

    let mut pixmap = tiny_skia::Pixmap::new(SIZE[0] as u32, SIZE[1] as u32).unwrap();
    let [r, g, b, a] = MAP_BACKGROUND.to_array();
    pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, a));
    let content = ReportMapContent::build(&scene.data.dataset, &scene.comparison, None).unwrap();
    MapPainter {
        pixel_from_world: transform,
        map_rect: screen,
        visible_in_world: visible,
        px_per_pt: 1.0 / 0.52,
        clip: None,
        show_transitions: settings.show_transitions,
        show_ward_labels: false,
        focus: None,
        groups: None,
    }
    .draw(
        &mut pixmap,
        &TextPainter::new(),
        &content,
        &scene.comparison,
        &scene.styled,
    );
    let export = pixmap.pixels().iter().map(|p| {
        let c = p.demultiply();
        [c.red(), c.green(), c.blue(), c.alpha()]
    });
    (window, export.collect())
}

/// Each pixel's class: the nearest of `palette` (sum of channel differences), or none when nothing is within `reach`.
fn classify(pixels: &[[u8; 4]], palette: &[[u8; 4]], reach: u32) -> Vec<Option<usize>> {
    pixels
        .iter()
        .map(|p| {
            let distance = |c: &[u8; 4]| (0..3).map(|k| u32::from(p[k].abs_diff(c[k]))).sum::<u32>();
            let (best, d) = palette
                .iter()
                .enumerate()
                .map(|(i, c)| (i, distance(c)))
                .min_by_key(|x| x.1)?;
            (d <= reach).then_some(best)
        })
        .collect()
}

/// Of the pixels of class `class` in `a`, the share with a pixel of that class within one pixel in `b`.
fn found_nearby(a: &[Option<usize>], b: &[Option<usize>], class: usize) -> (usize, f64) {
    let [w, h] = SIZE;
    let (mut total, mut found) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            if a[y * w + x] != Some(class) {
                continue;
            }
            total += 1;
            let near = (y.saturating_sub(1)..=(y + 1).min(h - 1))
                .any(|v| (x.saturating_sub(1)..=(x + 1).min(w - 1)).any(|u| b[v * w + u] == Some(class)));
            found += usize::from(near);
        }
    }
    (total, if total == 0 { 1.0 } else { found as f64 / total as f64 })
}

fn rgba(colour: Rgba) -> [u8; 4] {
    to_color32(colour, ColourVision::Normal).to_array()
}

#[test]
fn the_window_and_the_export_put_every_class_of_pixel_in_the_same_places() {
    // The window's defaults: LSOA, ward and 1% lines, transitions with their markers (ward names are text, drawn by
    // the renderer over the image, and left out of the export here).
    let settings = Settings::default();
    let scene = MapScene::build(leeds(), &settings, 1).unwrap();
    let (window, export) = both_pictures(&scene, &settings);
    let mut palette: Vec<[u8; 4]> = scene.styled.legend.entries.iter().map(|e| rgba(e.colour)).collect();
    let fills = palette.len();
    palette.extend([
        rgba(TOP1_ORANGE),
        rgba(WARD_LINE),
        Color32::WHITE.to_array(),
        MAP_BACKGROUND.to_array(),
    ]);
    let (orange, ward_line) = (fills, fills + 1);
    let (window, export) = (classify(&window, &palette, 12), classify(&export, &palette, 12));
    for class in 0..fills + 2 {
        let name = match class {
            c if c == orange => "the 1% orange".to_string(),
            c if c == ward_line => "ward lines".to_string(),
            c => format!("fill {:?}", scene.styled.legend.entries[c].label),
        };
        let (in_window, window_found) = found_nearby(&window, &export, class);
        let (in_export, export_found) = found_nearby(&export, &window, class);
        assert!(
            in_window > 40 && in_export > 40,
            "{name}: {in_window} window, {in_export} export pixels"
        );
        // The export anti-aliases every edge and the window's lines are crisp, so the export has fewer pixels of
        // exactly a class's colour (about 0.9 of a fill's, half of a line's): the counts agree to within that.
        let ratio = in_window as f64 / in_export as f64;
        assert!(
            (0.9..2.5).contains(&ratio),
            "{name}: {in_window} window vs {in_export} export pixels"
        );
        // Where they are: almost every pixel of a class in one has a pixel of that class within a pixel in the other
        // (measured 0.99–1.0 for fills and ward lines, 0.94 for the 1% orange, whose markers differ by a pixel).
        let least = if class >= fills { 0.9 } else { 0.97 };
        assert!(
            window_found > least && export_found > least,
            "{name}: {:.1}% of the window's found in the export, {:.1}% the other way",
            window_found * 100.0,
            export_found * 100.0
        );
    }
}

#[test]
fn a_national_export_draws_the_la_borders_the_load_found() {
    let data = leeds();
    data.build_lod_now();
    let choices = crate::style::MapChoices {
        la: super::ALL_ENGLAND.into(),
        ..Default::default()
    };
    let scene = MapScene::build(data.clone(), &choices, 1).unwrap();
    assert!(scene.national);
    let known = data
        .la_border_lines(scene.vintage)
        .expect("found with the levels of detail");
    assert!(!known.is_empty());
    let found_again = ReportMapContent::build(&data.dataset, &scene.comparison, None).unwrap();
    assert_eq!(
        *found_again.la_boundaries, *known,
        "the load's borders are those the export would find"
    );
    let reused = ReportMapContent::build(&data.dataset, &scene.comparison, Some(known.clone())).unwrap();
    assert!(
        Arc::ptr_eq(&reused.la_boundaries, &known),
        "and they are drawn as they are, not found again"
    );
}
