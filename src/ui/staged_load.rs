//! A load in two steps, on the loading thread: when the processed-data cache cannot answer at once, first what the
//! map asked for needs (`io::load_first_phase`: the LA's boundaries, the two editions shown, their lookups), sent to
//! the window as soon as it is ready, then the whole load as before (every edition, national boundaries, domains,
//! indicators), which replaces it. A warm cache is one step: the whole model decodes in tens of milliseconds.

use super::loader::{LoadFailure, LoadMessage, LoadedData, load_data, prepare_data};
use crate::io::cache::{CacheSettings, load_if_fresh};
use crate::io::{DataSource, LoadFocus, LoadOptions, load_first_phase};
use crate::model::{Dataset, LsoaVintage};
use crate::render::AreaMeshes;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

/// What the first part of a staged load holds, against the whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstPart {
    /// Files read for it.
    pub files_read: usize,
    /// Files the rest of the load reads.
    pub files_left: usize,
}

impl FirstPart {
    /// The status bar's sentence while the rest loads.
    pub fn status(&self) -> String {
        format!(
            "Map ready from {} files; loading the other {} (other editions, domains, national boundaries, indicators)…",
            self.files_read, self.files_left
        )
    }
}

/// Loads `source`: from the cache in one step when it is fresh; else, with a `focus`, its first part (sent as
/// [`LoadMessage::First`]) and then the whole; else the whole.
pub(super) fn load_staged(
    source: &DataSource,
    focus: Option<&LoadFocus>,
    started: Instant,
    send: &dyn Fn(LoadMessage),
) -> Result<(Dataset, BTreeMap<LsoaVintage, AreaMeshes>), LoadFailure> {
    let Some(focus) = focus else {
        return load_data(source, send);
    };
    let options = LoadOptions::default();
    if let Ok(Some((dataset, outcome))) = load_if_fresh(source, &options, &CacheSettings::from_env(false)) {
        timing(started, "from the processed-data cache, in one step");
        return prepare_data(source, dataset, &outcome, started, send);
    }
    if let Some(first) = first_part(source, &options, focus, started) {
        timing(started, "first part ready");
        send(LoadMessage::Progress(
            first.first_part.as_ref().map(FirstPart::status).unwrap_or_default(),
        ));
        send(LoadMessage::First(Arc::new(first)));
        // The rest parses whole files per task for seconds: on rayon's global pool it would hold the threads the
        // window's own parallel work (the scene's map content, the map's rasteriser) queues for, and the first frame
        // would wait for the whole load after all. So it gets a pool of its own and the OS shares the cores.
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("rest-of-load-{i}"))
            .build();
        let whole = match pool {
            Ok(pool) => pool.install(|| load_data(source, &|_| {})),
            Err(_) => load_data(source, send),
        };
        timing(started, "the rest in");
        return whole;
    }
    load_data(source, send)
}

/// The first part as loaded data, or `None` when it could not be had or would be the whole load anyway.
fn first_part(source: &DataSource, options: &LoadOptions, focus: &LoadFocus, started: Instant) -> Option<LoadedData> {
    let phase = load_first_phase(source, options, focus).ok()?;
    if phase.files_left == 0 {
        return None;
    }
    let none = crate::io::cache::CacheOutcome::Off;
    let (dataset, meshes) = prepare_data(source, phase.dataset, &none, started, &|_| {}).ok()?;
    let mut data = LoadedData::new(source.clone(), dataset, meshes, started.elapsed().as_secs_f64() * 1e3);
    data.first_part = Some(FirstPart {
        files_read: phase.files_read,
        files_left: phase.files_left,
    });
    Some(data)
}

/// The first part of a load of `source` for `focus`, as the loading thread builds it (tests).
#[cfg(test)]
pub(crate) fn first_part_of(source: &DataSource, focus: &LoadFocus) -> Option<LoadedData> {
    first_part(source, &LoadOptions::default(), focus, Instant::now())
}

fn timing(started: Instant, what: &str) {
    if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
        eprintln!("load: {what} after {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
    }
}
