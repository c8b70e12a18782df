//! The columns of an LSOA change table, each defined once: its header, its CSV cell and its JSON value. The command
//! line's `changes` CSV, the selection CSV and GeoJSON, and the report pack all write their rows through these, so a
//! column reads the same wherever a planner finds it.

use crate::analysis::LsoaChange;
use crate::model::Index;
use serde_json::{Value, json};

/// One column of an LSOA change table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeColumn {
    /// The LSOA's code.
    LsoaCode,
    /// The LSOA's name.
    LsoaName,
    /// Its ward's code.
    WardCode,
    /// Its ward's name.
    WardName,
    /// IMD rank in the earlier edition.
    RankFrom,
    /// IMD rank in the later edition.
    RankTo,
    /// Rank change (later − earlier; negative = worsened).
    Change,
    /// In the earlier edition's most deprived 1%.
    InTop1From,
    /// In the later edition's most deprived 1%.
    InTop1To,
    /// Stayed in, moved into or out of the 1%, or outside it.
    Transition,
    /// National decile in the earlier edition.
    DecileFrom,
    /// National decile in the later edition.
    DecileTo,
    /// Rank within the LA in the earlier edition.
    LaRankFrom,
    /// Rank within the LA in the later edition.
    LaRankTo,
    /// National percentile in the earlier edition.
    PercentileFrom,
    /// National percentile in the later edition.
    PercentileTo,
    /// Change in percentile.
    PercentileChange,
    /// How the LSOA changed between the 2011 and 2021 boundaries.
    BoundaryChange,
    /// The 2011 LSOAs it came from.
    EarlierLsoas,
    /// Its population, when loaded.
    Population,
}

/// The `changes` CSV of the command line, in the order other tools rely on (columns are only ever added at the end).
pub const CHANGES_CSV_COLUMNS: [ChangeColumn; 19] = {
    use ChangeColumn::*;
    [
        LsoaCode,
        LsoaName,
        WardCode,
        WardName,
        RankFrom,
        RankTo,
        Change,
        InTop1From,
        InTop1To,
        Transition,
        DecileFrom,
        DecileTo,
        LaRankFrom,
        LaRankTo,
        PercentileFrom,
        PercentileTo,
        PercentileChange,
        BoundaryChange,
        EarlierLsoas,
    ]
};

/// Columns the `changes` CSV adds after its contract columns, named with the editions' years (`rank_2015`,
/// `rank_2019`, …, as the selection CSV and the pack's profiles name them), then the LSOA's population.
pub const CHANGES_CSV_YEAR_COLUMNS: [ChangeColumn; 11] = {
    use ChangeColumn::*;
    [
        RankFrom,
        RankTo,
        InTop1From,
        InTop1To,
        DecileFrom,
        DecileTo,
        LaRankFrom,
        LaRankTo,
        PercentileFrom,
        PercentileTo,
        Population,
    ]
};

/// A saved selection (CSV and GeoJSON properties): the first twelve as first released, then the 1% transition, the
/// ranks within the LA and the national percentiles.
pub const SELECTION_COLUMNS: [ChangeColumn; 18] = {
    use ChangeColumn::*;
    [
        LsoaCode,
        LsoaName,
        WardCode,
        WardName,
        RankFrom,
        RankTo,
        Change,
        DecileFrom,
        DecileTo,
        InTop1From,
        InTop1To,
        Population,
        Transition,
        LaRankFrom,
        LaRankTo,
        PercentileFrom,
        PercentileTo,
        PercentileChange,
    ]
};

/// A typed cell for writers that keep numbers as numbers (the workbook, the GeoPackage).
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// Text, including codes (kept as text so a spreadsheet never reads `E01011264` or a leading zero as a number).
    Text(String),
    /// A number.
    Number(f64),
    /// Yes/no.
    Bool(bool),
    /// Not known: an empty cell, a NULL.
    Empty,
}

/// Which edition a column belongs to.
enum Edition {
    Neither,
    From,
    To,
}

impl ChangeColumn {
    fn name(self) -> (&'static str, Edition) {
        use ChangeColumn::*;
        match self {
            LsoaCode => ("lsoa_code", Edition::Neither),
            LsoaName => ("lsoa_name", Edition::Neither),
            WardCode => ("ward_code", Edition::Neither),
            WardName => ("ward_name", Edition::Neither),
            RankFrom => ("rank", Edition::From),
            RankTo => ("rank", Edition::To),
            Change => ("change", Edition::Neither),
            InTop1From => ("in_top1", Edition::From),
            InTop1To => ("in_top1", Edition::To),
            Transition => ("transition", Edition::Neither),
            DecileFrom => ("decile", Edition::From),
            DecileTo => ("decile", Edition::To),
            LaRankFrom => ("la_rank", Edition::From),
            LaRankTo => ("la_rank", Edition::To),
            PercentileFrom => ("percentile", Edition::From),
            PercentileTo => ("percentile", Edition::To),
            PercentileChange => ("percentile_change", Edition::Neither),
            BoundaryChange => ("boundary_change", Edition::Neither),
            EarlierLsoas => ("earlier_lsoas", Edition::Neither),
            Population => ("population", Edition::Neither),
        }
    }

    /// The header: a column of one edition ends `_from`/`_to`, or with the edition's year when `years` is given.
    ///
    /// ```
    /// use locality_map::export::ChangeColumn;
    /// assert_eq!(ChangeColumn::LaRankTo.header(None), "la_rank_to");
    /// assert_eq!(ChangeColumn::LaRankTo.header(Some((2015, 2019))), "la_rank_2019");
    /// assert_eq!(ChangeColumn::Change.header(Some((2015, 2019))), "change");
    /// ```
    pub fn header(self, years: Option<(u16, u16)>) -> String {
        let (base, edition) = self.name();
        match (edition, years) {
            (Edition::Neither, _) => base.to_string(),
            (Edition::From, None) => format!("{base}_from"),
            (Edition::To, None) => format!("{base}_to"),
            (Edition::From, Some((from, _))) => format!("{base}_{from}"),
            (Edition::To, Some((_, to))) => format!("{base}_{to}"),
        }
    }

    /// The CSV cell: unknown values are empty, the 1% columns `true`/`false`, percentiles to three decimals, the
    /// boundary change its ONS letter and the earlier LSOAs space-separated. Written from [`ChangeColumn::json`], so
    /// the two cannot disagree.
    pub fn cell(self, row: &LsoaChange) -> String {
        use ChangeColumn::*;
        let percentile = matches!(self, PercentileFrom | PercentileTo | PercentileChange);
        match self.json(row) {
            Value::Null => String::new(),
            Value::String(s) => s,
            Value::Number(n) if percentile => n.as_f64().map(|v| format!("{v:.3}")).unwrap_or_default(),
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
            other => other.to_string(),
        }
    }

    /// The typed value: the JSON value's kind, with the list of earlier LSOAs as the CSV's text.
    pub fn value(self, row: &LsoaChange) -> CellValue {
        if self == ChangeColumn::EarlierLsoas {
            let text = self.cell(row);
            return if text.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Text(text)
            };
        }
        match self.json(row) {
            Value::String(s) => CellValue::Text(s),
            Value::Number(n) => n.as_f64().map_or(CellValue::Empty, CellValue::Number),
            Value::Bool(b) => CellValue::Bool(b),
            _ => CellValue::Empty,
        }
    }

    /// The JSON value: numbers as numbers, unknown values `null`.
    pub fn json(self, row: &LsoaChange) -> Value {
        use ChangeColumn::*;
        match self {
            LsoaCode => json!(row.lsoa_code.as_str()),
            LsoaName => json!(row.lsoa_name),
            WardCode => json!(row.ward_code.map(|c| c.to_string())),
            WardName => json!(row.ward_name),
            RankFrom => json!(row.rank_from),
            RankTo => json!(row.rank_to),
            Change => json!(row.change),
            InTop1From => json!(row.in_top1_from),
            InTop1To => json!(row.in_top1_to),
            Transition => json!(row.transition.key()),
            DecileFrom => json!(row.decile_from),
            DecileTo => json!(row.decile_to),
            LaRankFrom => json!(row.la_rank_from),
            LaRankTo => json!(row.la_rank_to),
            PercentileFrom => json!(row.percentile_from),
            PercentileTo => json!(row.percentile_to),
            PercentileChange => json!(row.percentile_change),
            BoundaryChange => json!(row.boundary_change.map(|c| c.letter())),
            EarlierLsoas => json!(row.earlier_lsoas.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
            Population => json!(row.population),
        }
    }
}

/// A column of the LSOA sheet and layer the workbook and the GeoPackage write: a change-table column, or one domain's
/// rank in one edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LsoaField {
    /// A change-table column.
    Change(ChangeColumn),
    /// A domain's rank in the later (`true`) or the earlier edition.
    DomainRank(Index, bool),
}

/// `columns`, then the population unless among them, then each domain's rank in the later and in the earlier edition.
pub(super) fn lsoa_fields(columns: &[ChangeColumn]) -> Vec<LsoaField> {
    let mut fields: Vec<LsoaField> = columns.iter().map(|c| LsoaField::Change(*c)).collect();
    if !columns.contains(&ChangeColumn::Population) {
        fields.push(LsoaField::Change(ChangeColumn::Population));
    }
    for later in [true, false] {
        fields.extend(Index::ALL[1..].iter().map(|d| LsoaField::DomainRank(*d, later)));
    }
    fields
}

impl LsoaField {
    /// The header, naming editions by their years (`rank_2019`, `income_rank_2015`).
    pub(super) fn header(self, (from, to): (u16, u16)) -> String {
        match self {
            LsoaField::Change(c) => c.header(Some((from, to))),
            LsoaField::DomainRank(d, later) => format!("{}_rank_{}", d.key(), if later { to } else { from }),
        }
    }

    /// The row's typed value.
    pub(super) fn value(self, row: &LsoaChange) -> CellValue {
        match self {
            LsoaField::Change(c) => c.value(row),
            LsoaField::DomainRank(d, later) => {
                let ranks = if later {
                    &row.domain_ranks_to
                } else {
                    &row.domain_ranks_from
                };
                ranks
                    .get(&d)
                    .map_or(CellValue::Empty, |r| CellValue::Number(f64::from(*r)))
            }
        }
    }
}
