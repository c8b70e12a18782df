//! The attribute table's rows and columns, without egui: which columns a comparison has (both ranks, change, deciles,
//! population, ward, each domain in both editions), what each cell says, and which rows are shown, filtered and
//! sorted. Drawn by `attribute_table.rs`; unit-tested here.

use crate::analysis::{EditionComparison, LsoaChange};
use crate::model::{AreaCode, Index};
use std::cmp::Ordering;

/// One column of the attribute table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableColumn {
    /// LSOA code.
    Code,
    /// LSOA name.
    Name,
    /// Ward name.
    Ward,
    /// IMD rank, earlier edition.
    RankFrom,
    /// IMD rank, later edition.
    RankTo,
    /// Rank change (later − earlier; negative = more deprived).
    Change,
    /// National decile, earlier edition.
    DecileFrom,
    /// National decile, later edition.
    DecileTo,
    /// Residents, where loaded.
    Population,
    /// A domain's rank in the earlier edition.
    DomainFrom(Index),
    /// A domain's rank in the later edition.
    DomainTo(Index),
}

/// A cell's value for sorting: numbers as numbers, text as text, unknown last whichever way the column is sorted.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum SortKey {
    Number(i64),
    Text(String),
}

impl TableColumn {
    /// The header, naming the edition: `Rank 2019`, `Income 2015`.
    pub fn header(self, from: u16, to: u16) -> String {
        match self {
            Self::Code => "LSOA".into(),
            Self::Name => "Name".into(),
            Self::Ward => "Ward".into(),
            Self::RankFrom => format!("Rank {from}"),
            Self::RankTo => format!("Rank {to}"),
            Self::Change => "Change".into(),
            Self::DecileFrom => format!("Decile {from}"),
            Self::DecileTo => format!("Decile {to}"),
            Self::Population => "Population".into(),
            Self::DomainFrom(index) => format!("{} {from}", short_label(index)),
            Self::DomainTo(index) => format!("{} {to}", short_label(index)),
        }
    }

    /// Width of the column in points.
    pub fn width(self) -> f32 {
        match self {
            Self::Code => 80.0,
            Self::Name => 110.0,
            Self::Ward => 170.0,
            Self::DomainFrom(_) | Self::DomainTo(_) => 92.0,
            _ => 74.0,
        }
    }

    /// Numbers are right-aligned.
    pub fn numeric(self) -> bool {
        !matches!(self, Self::Code | Self::Name | Self::Ward)
    }

    /// What the cell says; empty when not known.
    pub fn text(self, row: &LsoaChange) -> String {
        match self {
            Self::Code => row.lsoa_code.to_string(),
            Self::Name => row.lsoa_name.clone(),
            Self::Ward => row.ward_name.clone(),
            Self::Change => row.change.map(|c| format!("{c:+}")).unwrap_or_default(),
            // As published: whole people, or File 6's quarter-persons should a total carry them.
            Self::Population => row.population.map(|p| p.to_string()).unwrap_or_default(),
            _ => self.number(row).map(|n| n.to_string()).unwrap_or_default(),
        }
    }

    fn number(self, row: &LsoaChange) -> Option<i64> {
        match self {
            Self::RankFrom => row.rank_from.map(i64::from),
            Self::RankTo => row.rank_to.map(i64::from),
            Self::Change => row.change,
            Self::DecileFrom => row.decile_from.map(i64::from),
            Self::DecileTo => row.decile_to.map(i64::from),
            // Sorts by whole people (rounded): no sort of residents turns on a quarter of a person.
            Self::Population => row.population.map(|p| p.whole_people() as i64),
            Self::DomainFrom(index) => row.domain_ranks_from.get(&index).copied().map(i64::from),
            Self::DomainTo(index) => row.domain_ranks_to.get(&index).copied().map(i64::from),
            Self::Code | Self::Name | Self::Ward => None,
        }
    }

    fn sort_key(self, row: &LsoaChange) -> Option<SortKey> {
        if self.numeric() {
            self.number(row).map(SortKey::Number)
        } else {
            let text = self.text(row);
            (!text.is_empty()).then(|| SortKey::Text(text.to_lowercase()))
        }
    }
}

/// Domains get short headers so the table stays readable (the full name is the header's tooltip).
fn short_label(index: Index) -> &'static str {
    match index {
        Index::Imd => "IMD",
        Index::Income => "Income",
        Index::Employment => "Employment",
        Index::Education => "Education",
        Index::Health => "Health",
        Index::Crime => "Crime",
        Index::Housing => "Housing",
        Index::LivingEnvironment => "Living env.",
        Index::Idaci => "IDACI",
        Index::Idaopi => "IDAOPI",
    }
}

/// The columns for a comparison: the fixed ones, then each domain some row has, later edition then earlier.
pub fn table_columns(comparison: &EditionComparison) -> Vec<TableColumn> {
    use TableColumn::*;
    let mut columns = vec![
        Code, Name, Ward, RankFrom, RankTo, Change, DecileFrom, DecileTo, Population,
    ];
    let rows: Vec<&LsoaChange> = comparison.rows.iter().collect();
    for domain in crate::export::domains_present(&rows) {
        columns.extend([DomainTo(domain), DomainFrom(domain)]);
    }
    columns
}

/// How the table is sorted and filtered.
#[derive(Clone, Debug, PartialEq)]
pub struct TableOrder {
    /// The column sorted by.
    pub sort: TableColumn,
    /// Largest (or Z) first.
    pub descending: bool,
    /// Only rows whose code, name or ward contains this (any case).
    pub filter: String,
}

impl Default for TableOrder {
    fn default() -> Self {
        // Most worsened first: what a planner looks for.
        Self {
            sort: TableColumn::Change,
            descending: false,
            filter: String::new(),
        }
    }
}

impl TableOrder {
    /// Sorts by `column`, or reverses the order when it is already sorted by it.
    pub fn sort_by(&mut self, column: TableColumn) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = false;
        }
    }
}

/// The comparison's row indices shown: those `keep` accepts (the view's, or all) and matching the filter, sorted (ties
/// by LSOA code, unknown values last).
pub fn shown_rows(comparison: &EditionComparison, order: &TableOrder, keep: &dyn Fn(&AreaCode) -> bool) -> Vec<usize> {
    let wanted = order.filter.trim().to_lowercase();
    let matches = |row: &LsoaChange| {
        wanted.is_empty()
            || row.lsoa_code.as_str().to_lowercase().contains(&wanted)
            || row.lsoa_name.to_lowercase().contains(&wanted)
            || row.ward_name.to_lowercase().contains(&wanted)
    };
    let mut shown: Vec<(usize, Option<SortKey>)> = comparison
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| keep(&r.lsoa_code) && matches(r))
        .map(|(i, r)| (i, order.sort.sort_key(r)))
        .collect();
    let code_of = |i: usize| comparison.rows.get(i).map(|r| r.lsoa_code);
    shown.sort_by(|(a, ka), (b, kb)| {
        let by_value = match (ka, kb) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(y).unwrap_or(Ordering::Equal);
                if order.descending { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_value.then_with(|| code_of(*a).cmp(&code_of(*b)))
    });
    shown.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::loader::embedded_leeds;
    use crate::ui::scene::MapScene;
    use crate::ui::settings::Settings;

    fn leeds_comparison() -> EditionComparison {
        let scene = MapScene::build(embedded_leeds(), &Settings::default(), 1).expect("Leeds maps");
        scene.comparison
    }

    #[test]
    fn sorting_by_change_puts_the_most_worsened_first_and_reversing_flips_it() {
        let comparison = leeds_comparison();
        let mut order = TableOrder::default();
        let shown = shown_rows(&comparison, &order, &|_| true);
        assert_eq!(shown.len(), comparison.rows.len());
        let changes: Vec<i64> = shown.iter().filter_map(|i| comparison.rows[*i].change).collect();
        let lowest = comparison.rows.iter().filter_map(|r| r.change).min();
        assert_eq!(changes.first().copied(), lowest);
        assert!(changes.windows(2).all(|w| w[0] <= w[1]));
        order.sort_by(TableColumn::Change);
        let reversed = shown_rows(&comparison, &order, &|_| true);
        let first = reversed.first().and_then(|i| comparison.rows[*i].change);
        assert_eq!(first, comparison.rows.iter().filter_map(|r| r.change).max());
    }

    #[test]
    fn the_filter_keeps_a_wards_lsoas_and_the_view_keeps_its_own() {
        let comparison = leeds_comparison();
        let order = TableOrder {
            filter: "hunslet & riverside".into(),
            ..TableOrder::default()
        };
        let shown = shown_rows(&comparison, &order, &|_| true);
        let expected = comparison
            .rows
            .iter()
            .filter(|r| r.ward_name == "Hunslet & Riverside")
            .count();
        assert!(expected > 0);
        assert_eq!(shown.len(), expected);
        let first = comparison.rows[0].lsoa_code;
        let only_first = shown_rows(&comparison, &TableOrder::default(), &|c| *c == first);
        assert_eq!(only_first, vec![0]);
    }

    #[test]
    fn columns_name_their_editions_and_include_the_domains() {
        let comparison = leeds_comparison();
        let columns = table_columns(&comparison);
        let headers: Vec<String> = columns.iter().map(|c| c.header(2015, 2019)).collect();
        assert!(headers.contains(&"Rank 2015".to_string()) && headers.contains(&"Rank 2019".to_string()));
        assert!(headers.contains(&"Income 2019".to_string()), "{headers:?}");
    }
}
