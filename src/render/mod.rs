//! Shapes to draw, with no widgets: the map view and projection, tessellated fills, boundary outlines. The window and
//! the PNG export both draw from these.

mod group_layer;
mod map_content;
mod mesh;
mod national_mesh;
mod outline;
mod placement;
mod projector;
mod scale_bar;
mod screen_mesh;
mod topology;

pub use group_layer::{AreaMapGeometry, GroupLayer, GroupOnMap, RANK_CLASS_COLOURS, rank_class_colour};
pub use map_content::{
    DrawnArea, DrawnWard, MapContent, MapContentError, MarkerShape, Top1Outline, TransitionMarker, top1_outline,
    transition_marker,
};
pub use mesh::{AreaMeshes, WorldMesh};
pub use national_mesh::{push_national_fills, push_screen_polyline};
pub use outline::{LineStyle, metres_per_point_of_level, outline_mesh, zoom_level};
pub use placement::{
    LabelStyle, PlacedLabel, PlacedMarker, declutter, lsoas_in_top1_by_ward, overlapping_pairs, place_ward_labels,
    transition_marker_positions,
};
pub use projector::{MapView, ScreenFromWorld, ScreenRect, ZOOM_LIMITS};
pub use scale_bar::round_scale_length;
pub use screen_mesh::{
    LSOA_LINE_WIDTH, MapOutlines, OutlineSource, ScreenMesh, TOP1_DASHES, TOP1_LINE_WIDTH, TriangleSink,
    WARD_LINE_WIDTH, push_area_fills, push_whole_mesh, push_world_mesh,
};
pub use topology::{BAND_TOLERANCES, LayerLod, LodBand, RingArcs, TopoArc, Topology, areas_in_view, band_for};
