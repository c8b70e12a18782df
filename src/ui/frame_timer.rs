//! `LOCALITY_MAP_FRAME_TIMES` and `LOCALITY_MAP_TIMING`: whole frames timed in the real window, and the time to the
//! first frame with a map, printed to stderr (the bench scripts read them).

use std::time::Instant;

/// Times whole frames in the real window: the interval between one frame's start and the next while repainting
/// continuously, so it includes the renderer (on a machine without a GPU, Mesa's llvmpipe rasterising). Prints the
/// median and the slowest of every 60 frames with the zoom and whether a button was held (panning).
#[derive(Default)]
pub struct FrameTimer {
    last: Option<Instant>,
    intervals_ms: Vec<f64>,
    dragging: bool,
}

impl FrameTimer {
    /// Called at the start of each frame: asks for the next at once and prints every 60 frames.
    pub fn tick(&mut self, ctx: &egui::Context, metres_per_point: f64) {
        ctx.request_repaint();
        let now = Instant::now();
        let dragging = ctx.input(|i| i.pointer.any_down());
        if dragging != self.dragging {
            // A new phase: do not mix idle and panning frames.
            self.intervals_ms.clear();
            self.dragging = dragging;
        } else if let Some(last) = self.last {
            self.intervals_ms.push((now - last).as_secs_f64() * 1e3);
        }
        self.last = Some(now);
        if self.intervals_ms.len() == 60 {
            self.intervals_ms.sort_by(f64::total_cmp);
            eprintln!(
                "frames: median {:.1} ms, slowest {:.1} ms, at {:.0} m per point, {}",
                self.intervals_ms[30],
                self.intervals_ms[59],
                metres_per_point,
                if dragging { "panning" } else { "idle" }
            );
            self.intervals_ms.clear();
        }
    }
}

/// Prints, once, how long after `started` (process start) the first frame with a map came (`LOCALITY_MAP_TIMING`).
pub fn report_first_map(started: &mut Option<Instant>, has_map: bool) {
    if has_map && let Some(started) = started.take() {
        eprintln!(
            "first frame with the map after {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}
