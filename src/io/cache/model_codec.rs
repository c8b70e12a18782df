//! The model in the cache format. Every struct is taken apart with an exhaustive pattern, so a field added to the
//! model does not compile until the cache writes it too (and `FORMAT_VERSION` is raised).

use super::codec::{Corrupt, Decode, Decoded, Encode, Reader, Writer, fields};
use crate::model::{
    Area, AreaCode, AreaKind, AreaLayer, AreaLevel, BoundaryChange, CrimePoint, Dataset, Decile, FileSummary,
    ImdEdition, ImdRow, Index, IndexValue, IndexValues, Indicator, IndicatorArea, IndicatorSet, IndicatorUnit,
    JoinReport, LsoaChangeLookup, LsoaChangeRow, LsoaVintage, Period, Persons, Population, Problem, Rank, Severity,
    SkippedRows, WardLookup, WardOfLsoa,
};
use geo::{Coord, LineString, MultiPolygon, Polygon, Rect};
use std::collections::BTreeMap;

/// Implements `Encode` and `Decode` for a field-less enum as one byte.
macro_rules! tags {
    ($t:ty { $($variant:ident = $tag:literal),* $(,)? }) => {
        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                w.u8(match self { $(Self::$variant => $tag),* });
            }
        }
        impl Decode for $t {
            fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
                match r.u8()? {
                    $($tag => Ok(Self::$variant),)*
                    _ => Err(Corrupt(concat!("an unknown ", stringify!($t), " in the cache"))),
                }
            }
        }
    };
}

tags!(LsoaVintage { Lsoa2011 = 0, Lsoa2021 = 1 });
tags!(BoundaryChange { Unchanged = 0, Split = 1, Merged = 2, Irregular = 3 });
tags!(Severity { Note = 0, Warning = 1, Error = 2 });
tags!(IndicatorUnit { Count = 0, Rate = 1, Percent = 2 });

impl Encode for AreaCode {
    fn encode(&self, w: &mut Writer) {
        w.bytes.extend_from_slice(self.as_str().as_bytes());
    }
}

impl Decode for AreaCode {
    const MIN_BYTES: usize = 9;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let bytes = r.take(9)?;
        let text = std::str::from_utf8(bytes).map_err(|_| Corrupt("an area code in the cache is not text"))?;
        // `parse` upper-cases and trims; a stored code is already canonical, so anything it changes is damage.
        AreaCode::parse(text)
            .filter(|code| code.as_str() == text)
            .ok_or(Corrupt("an area code in the cache is not an ONS code"))
    }
}

impl Encode for Rank {
    fn encode(&self, w: &mut Writer) {
        w.u32(self.get());
    }
}

impl Decode for Rank {
    const MIN_BYTES: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        Rank::new(r.u32()?).ok_or(Corrupt("a rank of 0 in the cache"))
    }
}

impl Encode for Decile {
    fn encode(&self, w: &mut Writer) {
        w.u8(self.get());
    }
}

impl Decode for Decile {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        Decile::new(r.u8()?).ok_or(Corrupt("a decile outside 1–10 in the cache"))
    }
}

fields!(IndexValue { rank, decile, score });

impl Encode for IndexValues {
    fn encode(&self, w: &mut Writer) {
        // A bit per index with any figure, then those figures: most tables carry two or three of the ten.
        let mask = self.iter().fold(0u16, |mask, (index, _)| mask | 1 << index as u16);
        w.u16(mask);
        for (_, value) in self.iter() {
            w.put(value);
        }
    }
}

impl Decode for IndexValues {
    const MIN_BYTES: usize = 2;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let mask = r.u16()?;
        if mask >> Index::ALL.len() != 0 {
            return Err(Corrupt("an unknown index in the cache"));
        }
        let mut values = IndexValues::default();
        for index in Index::ALL {
            if mask & 1 << index as u16 != 0 {
                values.insert(index, r.get()?);
            }
        }
        Ok(values)
    }
}

impl Encode for Persons {
    fn encode(&self, w: &mut Writer) {
        w.f64(self.get());
    }
}

impl Decode for Persons {
    const MIN_BYTES: usize = 8;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        Persons::new(r.f64()?).ok_or(Corrupt("a negative or non-finite population in the cache"))
    }
}

fields!(Population {
    total,
    children_0_15,
    aged_16_59,
    aged_60_plus,
    working_age
});
fields!(ImdRow {
    name,
    la_code,
    la_name,
    indices,
    population
});
fields!(ImdEdition {
    year,
    vintage,
    rows,
    sources,
    population_source
});
fields!(WardOfLsoa {
    ward_code,
    ward_name,
    la_code,
    la_name
});
fields!(WardLookup {
    ward_year,
    by_lsoa,
    sources
});
fields!(LsoaChangeRow {
    lsoa11,
    lsoa21,
    change,
    la_code
});
fields!(LsoaChangeLookup { rows, sources });
fields!(FileSummary {
    path,
    recognised_as,
    records,
    crs,
    load_millis
});
fields!(Problem {
    severity,
    path,
    location,
    message
});
fields!(JoinReport { files, problems });
fields!(IndicatorArea {
    code,
    name,
    la_code,
    la_name
});
fields!(SkippedRows { by_reason });
fields!(Indicator {
    name,
    title,
    unit,
    level,
    periods,
    areas,
    values,
    sources,
    attribution,
    without_area,
    rows_read,
    skipped,
    notes
});
fields!(CrimePoint {
    month,
    crime_type,
    point_in_world,
    lsoa
});
fields!(IndicatorSet {
    by_name,
    crime_types,
    crime_points
});

impl Encode for AreaKind {
    fn encode(&self, w: &mut Writer) {
        match self {
            AreaKind::Lsoa(vintage) => {
                w.u8(0);
                w.put(vintage);
            }
            AreaKind::Ward(year) => {
                w.u8(1);
                w.u16(*year);
            }
        }
    }
}

impl Decode for AreaKind {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        match r.u8()? {
            0 => Ok(AreaKind::Lsoa(r.get()?)),
            1 => Ok(AreaKind::Ward(r.u16()?)),
            _ => Err(Corrupt("an unknown kind of area in the cache")),
        }
    }
}

impl Encode for AreaLevel {
    fn encode(&self, w: &mut Writer) {
        match self {
            AreaLevel::Lsoa(vintage) => {
                w.u8(0);
                w.put(vintage);
            }
            AreaLevel::Ward(year) => {
                w.u8(1);
                w.put(year);
            }
            AreaLevel::La => w.u8(2),
        }
    }
}

impl Decode for AreaLevel {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        match r.u8()? {
            0 => Ok(AreaLevel::Lsoa(r.get()?)),
            1 => Ok(AreaLevel::Ward(r.get()?)),
            2 => Ok(AreaLevel::La),
            _ => Err(Corrupt("an unknown indicator geography in the cache")),
        }
    }
}

impl Encode for Period {
    fn encode(&self, w: &mut Writer) {
        let Period { year, month } = self;
        w.u16(*year);
        w.u8(*month);
    }
}

impl Decode for Period {
    const MIN_BYTES: usize = 3;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let (year, month) = (r.u16()?, r.u8()?);
        // Through the checked constructors: a period the loader could never make is damage.
        match month {
            0 => Period::year(year),
            _ => Period::month(year, month),
        }
        .ok_or(Corrupt("a period in the cache is not a month or year"))
    }
}

impl Encode for Coord<f64> {
    fn encode(&self, w: &mut Writer) {
        w.f64(self.x);
        w.f64(self.y);
    }
}

impl Decode for Coord<f64> {
    const MIN_BYTES: usize = 16;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        Ok(Coord {
            x: r.f64()?,
            y: r.f64()?,
        })
    }
}

impl Encode for LineString<f64> {
    fn encode(&self, w: &mut Writer) {
        w.len(self.0.len());
        w.bytes.reserve(self.0.len() * 16);
        for c in &self.0 {
            w.f64(c.x);
            w.f64(c.y);
        }
    }
}

impl Decode for LineString<f64> {
    const MIN_BYTES: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        // The bulk of the file: one bounds check for the whole ring, then a straight copy out of the mapped bytes.
        let n = r.count(16)?;
        let raw = r.take(n * 16)?;
        let coords = raw
            .chunks_exact(16)
            .map(|xy| {
                let (x, y) = xy.split_at(8);
                Coord {
                    x: f64::from_le_bytes(x.try_into().unwrap_or_default()),
                    y: f64::from_le_bytes(y.try_into().unwrap_or_default()),
                }
            })
            .collect();
        Ok(LineString(coords))
    }
}

impl Encode for Polygon<f64> {
    fn encode(&self, w: &mut Writer) {
        w.put(self.exterior());
        w.put(self.interiors());
    }
}

impl Decode for Polygon<f64> {
    const MIN_BYTES: usize = 8;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let exterior: LineString<f64> = r.get()?;
        let interiors: Vec<LineString<f64>> = r.get()?;
        // Rings were closed when loaded, so closing them again here changes nothing.
        Ok(Polygon::new(exterior, interiors))
    }
}

impl Encode for MultiPolygon<f64> {
    fn encode(&self, w: &mut Writer) {
        w.put(&self.0);
    }
}

impl Decode for MultiPolygon<f64> {
    const MIN_BYTES: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        Ok(MultiPolygon(r.get()?))
    }
}

impl Encode for Rect<f64> {
    fn encode(&self, w: &mut Writer) {
        w.put(&self.min());
        w.put(&self.max());
    }
}

impl Decode for Rect<f64> {
    const MIN_BYTES: usize = 32;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let (min, max): (Coord<f64>, Coord<f64>) = (r.get()?, r.get()?);
        Ok(Rect::new(min, max))
    }
}

fields!(Area {
    code,
    name,
    la_code,
    geometry_in_world,
    bbox_in_world,
    interior_in_world
});

impl Encode for AreaLayer {
    fn encode(&self, w: &mut Writer) {
        // The R-tree is not written: bulk-loading it from the envelopes is quicker than reading it would be.
        w.put(&self.kind);
        w.put(&self.areas);
        w.put(&self.sources);
    }
}

impl Decode for AreaLayer {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let kind = r.get()?;
        let areas: Vec<Area> = r.get()?;
        if areas.windows(2).any(|w| w[0].code >= w[1].code) {
            return Err(Corrupt("a layer's areas in the cache are not sorted by code"));
        }
        Ok(AreaLayer::new(kind, areas, r.get()?))
    }
}

/// One part of the model, decoded on its own thread: the payload holds each as a length-prefixed block, so that the
/// editions, lookups, indicators, report and layers decode in parallel.
enum Part {
    Edition(u16, ImdEdition),
    Lookups(
        BTreeMap<LsoaVintage, WardLookup>,
        Option<LsoaChangeLookup>,
        BTreeMap<LsoaVintage, BTreeMap<AreaCode, WardOfLsoa>>,
    ),
    Indicators(IndicatorSet),
    Report(JoinReport),
    Lsoas(LsoaVintage, AreaLayer),
    Wards(u16, AreaLayer),
}

const EDITION: u8 = 0;
const LOOKUPS: u8 = 1;
const INDICATORS: u8 = 2;
const REPORT: u8 = 3;
const LSOAS: u8 = 4;
const WARDS: u8 = 5;

impl Encode for Dataset {
    fn encode(&self, w: &mut Writer) {
        let Dataset {
            source_label,
            editions,
            lsoa_layers,
            ward_layers,
            ward_lookups,
            change_lookup,
            wards_from_polygons,
            indicators,
            report,
        } = self;
        let mut blocks: Vec<(u8, Writer)> = Vec::new();
        let mut block = |tag: u8, put: &dyn Fn(&mut Writer)| {
            let mut inner = Writer::default();
            put(&mut inner);
            blocks.push((tag, inner));
        };
        for (year, edition) in editions {
            block(EDITION, &|w| {
                w.put(year);
                w.put(edition);
            });
        }
        block(LOOKUPS, &|w| {
            w.put(ward_lookups);
            w.put(change_lookup);
            w.put(wards_from_polygons);
        });
        block(INDICATORS, &|w| w.put(indicators));
        block(REPORT, &|w| w.put(report));
        for (vintage, layer) in lsoa_layers {
            block(LSOAS, &|w| {
                w.put(vintage);
                w.put(layer);
            });
        }
        for (year, layer) in ward_layers {
            block(WARDS, &|w| {
                w.put(year);
                w.put(layer);
            });
        }
        w.put(source_label);
        w.len(blocks.len());
        for (tag, inner) in blocks {
            w.u8(tag);
            w.bytes(&inner.bytes);
        }
    }
}

/// Decodes one block, all of it.
fn decode_part(tag: u8, bytes: &[u8]) -> Decoded<Part> {
    let mut r = Reader::new(bytes);
    let part = match tag {
        EDITION => Part::Edition(r.get()?, r.get()?),
        LOOKUPS => Part::Lookups(r.get()?, r.get()?, r.get()?),
        INDICATORS => Part::Indicators(r.get()?),
        REPORT => Part::Report(r.get()?),
        LSOAS => Part::Lsoas(r.get()?, r.get()?),
        WARDS => Part::Wards(r.get()?, r.get()?),
        _ => return Err(Corrupt("an unknown part of the model in the cache")),
    };
    if r.remaining() != 0 {
        return Err(Corrupt("a part of the model in the cache has bytes left over"));
    }
    Ok(part)
}

impl Decode for Dataset {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        use rayon::prelude::*;
        let source_label = r.get()?;
        let count = r.count(5)?;
        let mut blocks = Vec::with_capacity(count);
        for _ in 0..count {
            blocks.push((r.u8()?, r.bytes()?));
        }
        let parts: Vec<Part> = blocks
            .into_par_iter()
            .map(|(tag, bytes)| decode_part(tag, bytes))
            .collect::<Decoded<_>>()?;
        let mut dataset = Dataset {
            source_label,
            ..Dataset::default()
        };
        let (mut lookups, mut indicators, mut report) = (false, false, false);
        for part in parts {
            let repeated = match part {
                Part::Edition(year, edition) => dataset.editions.insert(year, edition).is_some(),
                Part::Lookups(ward, change, from_polygons) => {
                    (dataset.ward_lookups, dataset.change_lookup, dataset.wards_from_polygons) =
                        (ward, change, from_polygons);
                    std::mem::replace(&mut lookups, true)
                }
                Part::Indicators(set) => {
                    dataset.indicators = set;
                    std::mem::replace(&mut indicators, true)
                }
                Part::Report(join) => {
                    dataset.report = join;
                    std::mem::replace(&mut report, true)
                }
                Part::Lsoas(vintage, layer) => dataset.lsoa_layers.insert(vintage, layer).is_some(),
                Part::Wards(year, layer) => dataset.ward_layers.insert(year, layer).is_some(),
            };
            if repeated {
                return Err(Corrupt("a part of the model is in the cache twice"));
            }
        }
        if !(lookups && indicators && report) {
            return Err(Corrupt("a part of the model is missing from the cache"));
        }
        Ok(dataset)
    }
}
