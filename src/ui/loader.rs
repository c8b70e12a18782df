//! Loads a data folder off the UI thread, reporting progress, so the window never freezes.

use crate::io::cache::{CacheOutcome, CacheSettings, load_dataset_cached};
use crate::io::{DataSource, LoadError, LoadFocus, LoadOptions};
use crate::model::{Dataset, LsoaVintage};
use crate::render::{AreaMeshes, LayerLod};
use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Everything a load produces: the model and the tessellated fills of every LSOA layer.
#[derive(Debug)]
pub struct LoadedData {
    /// Where it came from.
    pub source: DataSource,
    /// The model.
    pub dataset: Dataset,
    /// Fill triangles per LSOA vintage, built once.
    pub lsoa_meshes: BTreeMap<LsoaVintage, AreaMeshes>,
    /// How long the load took.
    pub load_millis: f64,
    /// Local authorities of each edition, sorted by name (for the LA picker; computed once, not per frame).
    pub local_authorities: BTreeMap<u16, Vec<(crate::model::AreaCode, String)>>,
    /// Levels of detail per LSOA vintage, filled in off the UI thread (`start_lod`) and picked up when ready.
    pub lsoa_lod: BTreeMap<LsoaVintage, LayerLod>,
    /// The indices (IMD, domains, IDACI/IDAOPI) each edition has ranks for, for the layer picker: scanning every row of
    /// two editions each frame cost a quarter of a national frame.
    pub indices_present: BTreeMap<u16, Vec<crate::model::Index>>,
    /// Per LSOA vintage, the topology's arcs that are LA borders (see [`LoadedData::la_borders`]).
    la_borders: BTreeMap<LsoaVintage, OnceLock<Vec<u32>>>,
    /// Set on the first part of a staged load (`staged_load.rs`): files read and files still to come. Figures that
    /// depend on the rest say so.
    pub first_part: Option<super::staged_load::FirstPart>,
}

impl LoadedData {
    /// Wraps a loaded dataset and its meshes.
    pub fn new(
        source: DataSource,
        dataset: Dataset,
        lsoa_meshes: BTreeMap<LsoaVintage, AreaMeshes>,
        load_millis: f64,
    ) -> Self {
        let local_authorities = dataset
            .editions
            .keys()
            .map(|year| (*year, dataset.local_authorities(*year)))
            .collect();
        let lsoa_lod = lsoa_meshes.keys().map(|v| (*v, LayerLod::default())).collect();
        let la_borders = lsoa_meshes.keys().map(|v| (*v, OnceLock::new())).collect();
        let indices_present = dataset
            .editions
            .iter()
            .map(|(year, edition)| (*year, edition.indices_present()))
            .collect();
        Self {
            source,
            dataset,
            lsoa_meshes,
            load_millis,
            local_authorities,
            indices_present,
            lsoa_lod,
            la_borders,
            first_part: None,
        }
    }

    /// Builds the levels of detail of every LSOA layer on a background thread; `ready` is called after each layer
    /// (the window repaints to pick them up). Drawing never waits for it.
    pub fn start_lod(self: &Arc<Self>, ready: impl Fn() + Send + 'static) {
        let data = Arc::clone(self);
        std::thread::Builder::new()
            .name("level-of-detail".into())
            .spawn(move || {
                data.build_lod_now();
                ready();
            })
            .ok();
    }

    /// Builds (or waits for) the levels of detail on this thread.
    pub fn build_lod_now(&self) {
        for (vintage, lod) in &self.lsoa_lod {
            if let (Some(layer), Some(meshes)) = (self.dataset.lsoa_layers.get(vintage), self.lsoa_meshes.get(vintage))
            {
                lod.fill(layer, meshes.mesh.origin_in_world);
                if let (Some(topology), Some(cell)) = (lod.topology(), self.la_borders.get(vintage)) {
                    cell.get_or_init(|| {
                        let la_of = self.dataset.la_of_areas(*vintage, layer);
                        topology.group_boundaries(|i| la_of.get(i).copied().flatten())
                    });
                }
            }
        }
    }

    /// The arcs of a layer's topology that are LA borders (a different LA, or none, on each side), once its levels of
    /// detail are built: found once per load, drawn nationally at every zoom.
    pub fn la_borders(&self, vintage: LsoaVintage) -> Option<&[u32]> {
        self.la_borders.get(&vintage)?.get().map(Vec::as_slice)
    }

    /// The same LA borders as lines in world space, for an export of a national map: it draws the borders this load
    /// found rather than building the layer's topology again.
    pub fn la_border_lines(&self, vintage: LsoaVintage) -> Option<Arc<[geo::LineString<f64>]>> {
        let ids = self.la_borders(vintage)?;
        let topology = self.lsoa_lod.get(&vintage)?.topology()?;
        Some(
            ids.iter()
                .filter_map(|id| topology.arcs.get(*id as usize))
                .map(|arc| geo::LineString::new(arc.coords.clone()))
                .collect(),
        )
    }
}

/// Why a load gave the window nothing to show. Each is one sentence; the window's banner shows it as it is.
#[derive(Debug, thiserror::Error)]
pub enum LoadFailure {
    /// The folder or a file in it could not be read at all.
    #[error("{0}")]
    Read(#[from] LoadError),
    /// It was read but holds nothing the map can compare (no IMD table, no edition with ranks…).
    #[error("{0}")]
    Unusable(String),
    /// Tables, but no LSOA boundaries to draw them on.
    #[error("No LSOA boundaries were found in {folder}: the map needs an LSOA GeoJSON or shapefile.")]
    NoBoundaries {
        /// The data folder, as shown.
        folder: String,
    },
    /// The load failed after a download step that had problems of its own: both are said.
    #[error("{load} ({downloads})")]
    AfterDownload {
        /// Why the load failed.
        load: Box<LoadFailure>,
        /// What went wrong with the downloads.
        downloads: DownloadProblem,
    },
}

/// What went wrong downloading the official data from the window.
#[derive(Debug, thiserror::Error)]
pub enum DownloadProblem {
    /// The catalogue compiled into the app does not parse.
    #[error("the built-in catalogue does not parse: {0}")]
    Catalogue(String),
    /// Some downloads failed (catalogue id and why, each).
    #[error("downloads that failed: {}", .0.join("; "))]
    Failed(Vec<String>),
    /// Everything downloadable was fetched; the rest has no direct address.
    #[error("downloads without a direct address in the catalogue must be fetched by hand (see `locality-map fetch`)")]
    ByHand,
}

/// A message from the loading thread.
pub enum LoadMessage {
    /// What it is doing now.
    Progress(String),
    /// The first part of a staged load: enough for the map asked for; the rest follows in `Done`.
    First(Arc<LoadedData>),
    /// Finished: the data, or why not.
    Done(Result<Arc<LoadedData>, LoadFailure>),
}

/// A load in progress.
pub struct LoadJob {
    /// What is being opened.
    pub source: DataSource,
    /// When it started.
    pub started: Instant,
    /// The latest progress message.
    pub stage: String,
    /// The first part of a staged load, once it has been taken (the rest is still loading).
    pub first_part: Option<super::staged_load::FirstPart>,
    receiver: Receiver<LoadMessage>,
}

/// News from a load.
pub enum LoadNews {
    /// Its first part (the load goes on).
    First(Arc<LoadedData>),
    /// Finished: the data, or why not.
    Done(Result<Arc<LoadedData>, LoadFailure>),
}

impl LoadJob {
    /// Starts loading on a background thread; `repaint` is called whenever there is news. With a `focus`, a load
    /// that cannot come from the processed-data cache is staged: first what a map of the focus needs, then the rest.
    pub fn start(source: DataSource, focus: Option<LoadFocus>, repaint: impl Fn() + Send + 'static) -> Self {
        Self::spawn(source, focus, "Starting…", repaint, |_| Ok(()))
    }

    /// Downloads the catalogue's official datasets into `dest` (`locality-map fetch`), then loads the folder with what
    /// it has; if that fails, the message names the downloads that failed.
    pub fn fetch_then_load(dest: std::path::PathBuf, repaint: impl Fn() + Send + 'static) -> Self {
        use crate::io::{Catalogue, FetchOptions, FetchOutcome, FetchSource, fetch_catalogue};
        let source = DataSource::Folder(dest.clone());
        Self::spawn(source, None, "Starting the download…", repaint, move |send| {
            let catalogue = Catalogue::shipped().map_err(|e| DownloadProblem::Catalogue(e.to_string()))?;
            let options = FetchOptions {
                dest,
                source: FetchSource::Publishers,
                only: Vec::new(),
                replace: crate::io::Replace::Nothing,
                read_timeout: std::time::Duration::from_secs(60),
                deadline: std::time::Duration::from_secs(1800),
            };
            let mut progress = |id: &str, done: u64, total: Option<u64>| {
                let of = total
                    .map(|t| format!(" of {:.1} MB", t as f64 / 1e6))
                    .unwrap_or_default();
                send(LoadMessage::Progress(format!(
                    "Downloading {id}: {:.1} MB{of}…",
                    done as f64 / 1e6
                )));
            };
            let failed: Vec<String> = fetch_catalogue(&catalogue, &options, &mut progress)
                .into_iter()
                .filter_map(|r| match r.outcome {
                    FetchOutcome::Failed(why) => Some(format!("{}: {why}", r.id)),
                    _ => None,
                })
                .collect();
            Err(if failed.is_empty() {
                DownloadProblem::ByHand
            } else {
                DownloadProblem::Failed(failed)
            })
        })
    }

    /// Runs `prepare` then loads `source`, on a background thread. `prepare`'s `Err` is not fatal: it is appended to
    /// the load's error, should the load fail.
    fn spawn(
        source: DataSource,
        focus: Option<LoadFocus>,
        stage: &str,
        repaint: impl Fn() + Send + 'static,
        prepare: impl FnOnce(&dyn Fn(LoadMessage)) -> Result<(), DownloadProblem> + Send + 'static,
    ) -> Self {
        let (sender, receiver) = channel();
        let thread_source = source.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let send = |message| {
                sender.send(message).ok();
                repaint();
            };
            let note = prepare(&send).err();
            send(LoadMessage::Progress(format!("Reading {}…", thread_source.label())));
            let result = super::staged_load::load_staged(&thread_source, focus.as_ref(), started, &send)
                .map(|(dataset, lsoa_meshes)| {
                    let load_millis = started.elapsed().as_secs_f64() * 1e3;
                    Arc::new(LoadedData::new(
                        thread_source.clone(),
                        dataset,
                        lsoa_meshes,
                        load_millis,
                    ))
                })
                .map_err(|load| match note {
                    Some(downloads) => LoadFailure::AfterDownload {
                        load: Box::new(load),
                        downloads,
                    },
                    None => load,
                });
            let lod_data = result.as_ref().ok().cloned();
            send(LoadMessage::Done(result));
            // The map is up; the simplified bands for the national view follow on this thread.
            if let Some(data) = lod_data {
                data.build_lod_now();
                repaint();
            }
        });
        Self {
            source,
            started: Instant::now(),
            stage: stage.into(),
            first_part: None,
            receiver,
        }
    }

    /// The first part or the finished result, if either came; progress messages update `stage`.
    pub fn poll(&mut self) -> Option<LoadNews> {
        while let Ok(message) = self.receiver.try_recv() {
            match message {
                LoadMessage::Progress(stage) => self.stage = stage,
                LoadMessage::First(data) => {
                    self.first_part = data.first_part.clone();
                    return Some(LoadNews::First(data));
                }
                LoadMessage::Done(result) => return Some(LoadNews::Done(result)),
            }
        }
        None
    }
}

/// Loads synchronously (the tests and the loading thread use this), through the processed-data cache unless it is
/// turned off (`--no-cache`, `LOCALITY_MAP_CACHE=off`); the cache's note, if any, goes to stderr.
pub fn load_data(
    source: &DataSource,
    progress: &dyn Fn(LoadMessage),
) -> Result<(Dataset, BTreeMap<LsoaVintage, AreaMeshes>), LoadFailure> {
    let started = Instant::now();
    let (dataset, outcome) = load_dataset_cached(source, &LoadOptions::default(), &CacheSettings::from_env(false))?;
    prepare_data(source, dataset, &outcome, started, progress)
}

/// What every load does with its dataset: the cache's note, the checks that it can be mapped, the fills tessellated.
pub(super) fn prepare_data(
    source: &DataSource,
    dataset: Dataset,
    outcome: &CacheOutcome,
    started: Instant,
    progress: &dyn Fn(LoadMessage),
) -> Result<(Dataset, BTreeMap<LsoaVintage, AreaMeshes>), LoadFailure> {
    if let Some(note) = outcome.note() {
        eprintln!("locality-map: note: {}", crate::model::escape_text(&note));
    }
    if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
        let how = match outcome {
            CacheOutcome::Hit(_) => "from the processed-data cache",
            CacheOutcome::Off => "from the data files (cache off)",
            _ => "from the data files",
        };
        eprintln!("data loaded {how} in {:.0} ms", started.elapsed().as_secs_f64() * 1e3);
    }
    if let Some(reason) = dataset.unusable_reason() {
        // A sentence of its own in the window's banner.
        let mut reason = reason;
        reason[..1].make_ascii_uppercase();
        return Err(LoadFailure::Unusable(reason));
    }
    if dataset.lsoa_layers.is_empty() {
        return Err(LoadFailure::NoBoundaries { folder: source.label() });
    }
    progress(LoadMessage::Progress("Tessellating LSOA polygons…".into()));
    let lsoa_meshes = dataset
        .lsoa_layers
        .iter()
        .map(|(vintage, layer)| (*vintage, AreaMeshes::build(layer)))
        .collect();
    if std::env::var_os("LOCALITY_MAP_TIMING").is_some() {
        eprintln!(
            "data loaded and tessellated in {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok((dataset, lsoa_meshes))
}

/// The embedded Leeds default, loaded once for the unit tests that need it.
#[cfg(test)]
pub(crate) fn embedded_leeds() -> Arc<LoadedData> {
    static DATA: OnceLock<Arc<LoadedData>> = OnceLock::new();
    DATA.get_or_init(|| {
        let (dataset, meshes) = load_data(&DataSource::Embedded, &|_| {}).expect("embedded default loads");
        Arc::new(LoadedData::new(DataSource::Embedded, dataset, meshes, 0.0))
    })
    .clone()
}
