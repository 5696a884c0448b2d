//! The observation store: a dense column of values for each series, flow and basis, so that
//! memory grows with series times months (12 bytes an observation: a 56-bit mantissa, its scale
//! and where the row was read, side by side), and a lookup is an index, not a hash.
//!
//! A little over 600 lines with its tests: the cell layout, the column and the store's lookups
//! are one concern, and each is correct only together with the others.

use super::{Annex, Basis, Flow, Obs, ObsKey, Period, SeriesId, Source, Stated};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Set in a row reference when the observation has published rates or an earlier report.
const HAS_EXTRA: u32 = 1 << 31;
/// The scale of a value whose mantissa does not fit 56 bits (or a negative zero): rare enough to
/// keep apart.
const WIDE: u8 = u8::MAX;
/// Mantissas a cell holds: those of 56 bits, beside the 8-bit scale.
const NARROW: std::ops::Range<i64> = -(1 << 55)..(1 << 55);
/// Columns a series has: four flows times two bases.
const SLOTS: usize = 8;
/// The most months from a dataset's first to its last: a column holds every month between its
/// first and last row, so a mistyped year (9999 for 2019) would otherwise claim memory for
/// every month between.
pub const MAX_SPAN_MONTHS: i32 = 200 * 12;
/// The cells the columns may hold beyond [`CELLS_PER_ROW`] a row: memory follows the rows
/// given, not the months they claim (12 bytes a cell).
const BASE_CELLS: usize = 1 << 20;
/// Cells a row may bring: its own, and the empty months between rows of a series with gaps.
const CELLS_PER_ROW: usize = 16;

/// What few rows carry besides their value: published rates and the first report of a revision.
#[derive(Debug, Clone, Copy, Default)]
struct Extra {
    yoy_pct: Option<Decimal>,
    share_pct: Option<Decimal>,
    share_change_pp: Option<Decimal>,
    revised_from: Option<(Decimal, Source)>,
}

/// One month of a column: a value and where it was read, in one place, so that storing a row
/// touches one cache line, not one in each of three vectors.
#[derive(Debug, Default, Clone, Copy)]
#[repr(C, packed(4))]
struct Cell {
    /// The value exactly as read (12.50 stays 12.50): its mantissa shifted left 8 bits over its
    /// scale; the scale [`WIDE`] for a value kept in [`Observations::wide`].
    word: u64,
    /// Where the value was read (see [`Observations::row_ref`]); 0 where there is no value.
    row: u32,
}

impl Cell {
    fn scale(self) -> u8 {
        self.word as u8
    }

    fn mantissa(self) -> i64 {
        self.word as i64 >> 8
    }
}

/// One series' values for one flow and basis, from its first month on.
#[derive(Debug, Default)]
struct Column {
    start: i32,
    cells: Vec<Cell>,
}

/// A row with a value alone (no published rates), ready to store: its column, month, cell word
/// and line. What the reader makes of almost every row, in 24 bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plain {
    slot: u32,
    period: i32,
    word: u64,
    /// The line the row was read from.
    pub line: u32,
}

impl Plain {
    /// A row of a key and a value given as mantissa and scale; `None` where the value needs more
    /// than 56 bits (then it is stored as a [`Decimal`] apart).
    pub fn new(key: &ObsKey, mantissa: i64, scale: u8, line: u32) -> Option<Plain> {
        let word = narrow(mantissa, scale, false)?;
        Some(Plain { slot: slot(key) as u32, period: key.period.index(), word, line })
    }

    /// The row's key.
    pub fn key(&self) -> ObsKey {
        slot_key(self.slot as usize, Period::from_index(self.period))
    }

    /// The row's value.
    pub fn value(&self) -> Decimal {
        let cell = Cell { word: self.word, row: 0 };
        Decimal::new(cell.mantissa(), cell.scale() as u32)
    }
}

/// Every observation of a dataset.
#[derive(Debug, Default)]
pub struct Observations {
    columns: Vec<Column>,
    extra: HashMap<ObsKey, Extra>,
    wide: HashMap<ObsKey, Decimal>,
    /// Quantities and provenance, of the few rows that give them.
    annex: HashMap<ObsKey, Annex>,
    /// Rows that give published figures but no value.
    stated: HashMap<ObsKey, Stated>,
    /// Rows stored with an earlier report, removed ones included: a bound, not a count.
    revisions: usize,
    /// The first row reference of each file: a reference is its file's start plus the line.
    file_starts: Vec<u32>,
    len: usize,
    /// The first and last month of any row stored (removed ones included: a bound).
    span: Option<(i32, i32)>,
    /// Cells the columns hold.
    cells: usize,
}

fn slot(key: &ObsKey) -> usize {
    key.series as usize * SLOTS + key.flow as usize * 2 + key.basis as usize
}

fn slot_key(slot: usize, period: Period) -> ObsKey {
    let flow = [Flow::Export, Flow::Import, Flow::Total, Flow::Balance][slot % SLOTS / 2];
    let basis = if slot.is_multiple_of(2) { Basis::Month } else { Basis::Ytd };
    ObsKey { series: (slot / SLOTS) as SeriesId, flow, basis, period }
}

impl Observations {
    /// An empty store for `series` series.
    pub fn new(series: usize) -> Observations {
        Observations { columns: (0..series * SLOTS).map(|_| Column::default()).collect(), ..Default::default() }
    }

    /// Starts the rows of the next file; `Err` when the files together pass two billion lines.
    pub fn begin_file(&mut self, file: u16, after_line: u32) -> Result<(), String> {
        debug_assert_eq!(file as usize, self.file_starts.len());
        let start = match self.file_starts.last() {
            None => 0,
            Some(s) => s.checked_add(after_line + 1).filter(|s| *s < HAS_EXTRA).ok_or("too many lines")?,
        };
        self.file_starts.push(start);
        Ok(())
    }

    /// Whether a row of `key` can be stored within the limits on months and memory: `Err` says
    /// why not. A row refused here leaves the store as it was.
    pub fn room(&self, key: &ObsKey) -> Result<(), String> {
        let p = key.period.index();
        if let Some((first, last)) = self.span {
            let (first, last) = (first.min(p), last.max(p));
            if last - first >= MAX_SPAN_MONTHS {
                let (a, b) = (Period::from_index(first), Period::from_index(last));
                let edge = if p == first { b } else { a };
                return Err(format!(
                    "{} is more than {} years from {edge}, the data's {} month: a dataset may span at most {} \
                     years (is the year mistyped?)",
                    key.period,
                    MAX_SPAN_MONTHS / 12,
                    if p == first { "last" } else { "first" },
                    MAX_SPAN_MONTHS / 12
                ));
            }
        }
        let added = self.columns[slot(key)].growth(p);
        if self.cells + added > BASE_CELLS + CELLS_PER_ROW * (self.len + 1) {
            return Err(format!(
                "the rows are spread over too many empty months: {} months held for {} rows, more than a \
                 dataset may use ({BASE_CELLS} and {CELLS_PER_ROW} a row)",
                self.cells + added,
                self.len + 1
            ));
        }
        Ok(())
    }

    /// Counts a row of month `p` into the span, and the cells its column grew by.
    fn note(&mut self, p: i32, added: usize) {
        self.span = Some(self.span.map_or((p, p), |(a, b)| (a.min(p), b.max(p))));
        self.cells += added;
    }

    /// Whether a row read from `s` can be stored: the files' lines together stay below two billion.
    pub fn can_hold(&self, s: Source) -> bool {
        self.row_ref(s).is_some()
    }

    fn row_ref(&self, s: Source) -> Option<u32> {
        self.file_starts[s.file as usize].checked_add(s.line).filter(|r| *r < HAS_EXTRA && *r > 0)
    }

    fn source(&self, r: u32) -> Source {
        let r = r & !HAS_EXTRA;
        let file = self.file_starts.partition_point(|s| *s <= r) - 1;
        Source { file: file as u16, line: r - self.file_starts[file] }
    }

    fn position(&self, key: &ObsKey) -> Option<(usize, usize)> {
        let c = &self.columns[slot(key)];
        let i = usize::try_from(key.period.index() - c.start).ok()?;
        (c.cells.get(i)?.row != 0).then_some((slot(key), i))
    }

    /// The observation of a key, if a row gave one.
    pub fn get(&self, key: &ObsKey) -> Option<Obs> {
        let (s, i) = self.position(key)?;
        let cell = self.columns[s].cells[i];
        let extra = if cell.row & HAS_EXTRA != 0 { self.extra[key] } else { Extra::default() };
        Some(Obs {
            value: self.read(key, cell),
            yoy_pct: extra.yoy_pct,
            share_pct: extra.share_pct,
            share_change_pp: extra.share_change_pp,
            source: self.source(cell.row),
            revised_from: extra.revised_from,
        })
    }

    /// Whether any row revises an earlier file's: where none does, no figure differs from its
    /// first report, and none need be computed twice to find out.
    pub fn has_revisions(&self) -> bool {
        self.revisions > 0
    }

    /// The value of a key alone.
    pub fn amount(&self, key: &ObsKey) -> Option<Decimal> {
        let (s, i) = self.position(key)?;
        Some(self.read(key, self.columns[s].cells[i]))
    }

    /// The sum of a series' months from January through `period` as the rows give them; `None`
    /// where one is missing. Read from one stretch of the column, and summed as integers where the
    /// months share a scale: the year to date of every series, for every earlier year, is what
    /// records and "highest since" are made of.
    pub fn month_sum(&self, series: SeriesId, flow: Flow, period: Period) -> Option<Decimal> {
        let january = ObsKey { series, flow, basis: Basis::Month, period: Period { year: period.year, month: 1 } };
        let c = &self.columns[slot(&january)];
        let from = usize::try_from(january.period.index() - c.start).ok()?;
        let cells = c.cells.get(from..from + period.month as usize)?;
        if cells.iter().any(|c| c.row == 0) {
            return None;
        }
        let scale = cells[0].scale();
        if scale != WIDE && cells.iter().all(|c| c.scale() == scale) {
            let sum: i64 = cells.iter().map(|c| c.mantissa()).sum();
            return Some(Decimal::new(sum, scale as u32));
        }
        let mut sum = Decimal::ZERO;
        for (m, cell) in period.months_to_date().zip(cells) {
            sum += self.read(&ObsKey { period: m, ..january }, *cell);
        }
        Some(sum)
    }

    /// Whether a row gave the key.
    pub fn contains_key(&self, key: &ObsKey) -> bool {
        self.position(key).is_some()
    }

    /// Stores an observation, replacing any there was. Its source must be of the file begun last,
    /// and its key checked with [`Observations::room`].
    pub fn insert(&mut self, key: ObsKey, obs: Obs) {
        let mut r = self.row_ref(obs.source).expect("a line number below two billion, in a begun file");
        let extra = Extra {
            yoy_pct: obs.yoy_pct,
            share_pct: obs.share_pct,
            share_change_pp: obs.share_change_pp,
            revised_from: obs.revised_from,
        };
        if extra.yoy_pct.is_some()
            || extra.share_pct.is_some()
            || extra.share_change_pp.is_some()
            || extra.revised_from.is_some()
        {
            r |= HAS_EXTRA;
            self.revisions += usize::from(extra.revised_from.is_some());
            self.extra.insert(key, extra);
        } else {
            self.extra.remove(&key);
        }
        let c = &mut self.columns[slot(&key)];
        let (i, added) = c.index(key.period.index());
        let fresh = c.cells[i].row == 0;
        c.cells[i].row = r;
        if fresh {
            self.len += 1;
        }
        self.note(key.period.index(), added);
        self.write(key, i, obs.value);
    }

    /// Stores a [`Plain`] row of file `file` where its key has no value yet: `Some(false)`, and
    /// nothing stored, where it has; `None` where the files together pass two billion lines or
    /// the row is beyond [`Observations::room`].
    pub(super) fn put_plain(&mut self, p: &Plain, file: u16) -> Option<bool> {
        let r = self.row_ref(Source { file, line: p.line })?;
        self.room(&p.key()).ok()?;
        let c = &mut self.columns[p.slot as usize];
        let (i, added) = c.index(p.period);
        let cell = &mut c.cells[i];
        if cell.row != 0 {
            self.cells += added;
            return Some(false);
        }
        *cell = Cell { word: p.word, row: r };
        self.len += 1;
        self.note(p.period, added);
        Some(true)
    }

    /// Stores a plain observation (no rates, no earlier report) where there is none yet: the
    /// common case of loading, in one step. `false`, and nothing stored, where the key is taken.
    /// Its key must be checked with [`Observations::room`].
    pub fn put_new(&mut self, key: ObsKey, value: Decimal, source: Source) -> bool {
        let r = self.row_ref(source).expect("a line number below two billion, in a begun file");
        let c = &mut self.columns[slot(&key)];
        let (i, added) = c.index(key.period.index());
        let cell = &mut c.cells[i];
        if cell.row != 0 {
            self.cells += added;
            return false;
        }
        self.len += 1;
        match narrow_decimal(value) {
            Some(word) => *cell = Cell { word, row: r },
            None => {
                *cell = Cell { word: WIDE as u64, row: r };
                self.wide.insert(key, value);
            }
        }
        self.note(key.period.index(), added);
        true
    }

    fn read(&self, key: &ObsKey, cell: Cell) -> Decimal {
        match cell.scale() {
            WIDE => self.wide[key],
            scale => Decimal::new(cell.mantissa(), scale as u32),
        }
    }

    fn write(&mut self, key: ObsKey, i: usize, value: Decimal) {
        let cell = &mut self.columns[slot(&key)].cells[i];
        if cell.scale() == WIDE {
            self.wide.remove(&key);
        }
        match narrow_decimal(value) {
            Some(word) => cell.word = word,
            None => {
                cell.word = WIDE as u64;
                self.wide.insert(key, value);
            }
        }
    }

    /// Removes an observation.
    pub fn remove(&mut self, key: &ObsKey) {
        if let Some((s, i)) = self.position(key) {
            let cell = &mut self.columns[s].cells[i];
            if cell.scale() == WIDE {
                self.wide.remove(key);
            }
            *cell = Cell::default();
            self.extra.remove(key);
            self.annex.remove(key);
            self.len -= 1;
        }
    }

    /// What a row gave besides its value and rates, if anything.
    pub fn annex(&self, key: &ObsKey) -> Option<&Annex> {
        self.annex.get(key)
    }

    /// Sets (or, with `None`, clears) what the row of a key gave besides its value and rates.
    pub fn set_annex(&mut self, key: ObsKey, annex: Option<Annex>) {
        match annex.filter(|a| *a != Annex::default()) {
            Some(a) => self.annex.insert(key, a),
            None => self.annex.remove(&key),
        };
    }

    /// Every key with an annex, and its annex, in no particular order.
    pub fn annexes(&self) -> impl Iterator<Item = (&ObsKey, &Annex)> + '_ {
        self.annex.iter()
    }

    /// The row of a key that gave published figures but no value, if one did.
    pub fn stated(&self, key: &ObsKey) -> Option<&Stated> {
        self.stated.get(key)
    }

    /// Stores a row without a value, replacing any such row there was.
    pub fn put_stated(&mut self, key: ObsKey, stated: Stated) {
        self.stated.insert(key, stated);
    }

    /// Removes the row without a value of a key: a later file gave its value.
    pub fn remove_stated(&mut self, key: &ObsKey) {
        self.stated.remove(key);
    }

    /// The keys of the rows that give published figures without a value, in no particular order.
    pub fn stated_keys(&self) -> impl Iterator<Item = ObsKey> + '_ {
        self.stated.keys().copied()
    }

    /// How many observations there are, rows without a value included.
    pub fn len(&self) -> usize {
        self.len + self.stated.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every key, by series, flow, basis and month.
    pub fn keys(&self) -> impl Iterator<Item = ObsKey> + '_ {
        self.columns.iter().enumerate().flat_map(|(s, c)| {
            c.cells
                .iter()
                .enumerate()
                .filter(|(_, cell)| cell.row != 0)
                .map(move |(i, _)| slot_key(s, Period::from_index(c.start + i as i32)))
        })
    }

    /// The keys of rows that publish a rate or share, in the order of the rows.
    pub fn rated(&self) -> Vec<ObsKey> {
        let mut keys: Vec<(Source, ObsKey)> = self
            .extra
            .iter()
            .filter(|(_, e)| e.yoy_pct.is_some() || e.share_pct.is_some() || e.share_change_pp.is_some())
            .filter_map(|(k, _)| self.get(k).map(|o| (o.source, *k)))
            .collect();
        keys.sort_by_key(|(s, _)| (s.file, s.line));
        keys.into_iter().map(|(_, k)| k).collect()
    }

    /// The first month any row of a series gives.
    pub fn first_period(&self, series: SeriesId) -> Option<Period> {
        let columns = &self.columns[series as usize * SLOTS..(series as usize + 1) * SLOTS];
        columns
            .iter()
            .filter_map(|c| c.cells.iter().position(|cell| cell.row != 0).map(|i| c.start + i as i32))
            .min()
            .map(Period::from_index)
    }

    /// Whether a series has any row for month `period`, of any flow or basis.
    pub fn has_period(&self, series: SeriesId, period: Period) -> bool {
        let columns = &self.columns[series as usize * SLOTS..(series as usize + 1) * SLOTS];
        columns.iter().any(|c| {
            usize::try_from(period.index() - c.start)
                .ok()
                .and_then(|i| c.cells.get(i))
                .is_some_and(|cell| cell.row != 0)
        })
    }

    /// The latest month any row of a series gives.
    pub fn last_period(&self, series: SeriesId) -> Option<Period> {
        let columns = &self.columns[series as usize * SLOTS..(series as usize + 1) * SLOTS];
        columns
            .iter()
            .filter_map(|c| c.cells.iter().rposition(|cell| cell.row != 0).map(|i| c.start + i as i32))
            .max()
            .map(Period::from_index)
    }
}

impl Column {
    /// Where the column would start to hold month `p`: rows in reverse order would shift the
    /// column once a row, so it grows back by its own length.
    fn start_for(&self, p: i32) -> i32 {
        if self.cells.is_empty() {
            p
        } else if p < self.start {
            p.min(self.start - self.cells.len() as i32).max(Period { year: 1800, month: 1 }.index())
        } else {
            self.start
        }
    }

    /// How many cells the column would grow by to hold month `p`.
    fn growth(&self, p: i32) -> usize {
        let start = self.start_for(p);
        let end = (self.start + self.cells.len() as i32).max(p + 1);
        (end - start) as usize - self.cells.len()
    }

    /// The index of month `p` in the column, grown to hold it, and how many cells it grew by.
    fn index(&mut self, p: i32) -> (usize, usize) {
        let added = self.growth(p);
        let new_start = self.start_for(p);
        let c = self;
        if c.cells.is_empty() {
            c.start = new_start;
        } else if new_start < c.start {
            let pad = (c.start - new_start) as usize;
            c.cells.splice(0..0, std::iter::repeat_n(Cell::default(), pad));
            c.start = new_start;
        }
        let i = (p - c.start) as usize;
        if i >= c.cells.len() {
            c.cells.resize(i + 1, Cell::default());
        }
        (i, added)
    }
}

/// A value as a cell's word, where its mantissa fits 56 bits and it is not a negative zero (whose
/// sign a mantissa of 0 would lose).
fn narrow_decimal(value: Decimal) -> Option<u64> {
    narrow(i64::try_from(value.mantissa()).ok()?, value.scale() as u8, value.is_sign_negative())
}

/// The word of a mantissa and scale, if a cell holds them.
fn narrow(mantissa: i64, scale: u8, negative: bool) -> Option<u64> {
    (NARROW.contains(&mantissa) && scale != WIDE && (mantissa != 0 || !negative))
        .then_some(((mantissa as u64) << 8) | scale as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(series: SeriesId, flow: Flow, basis: Basis, p: &str) -> ObsKey {
        ObsKey { series, flow, basis, period: p.parse().unwrap() }
    }

    fn obs(value: i64, file: u16, line: u32) -> Obs {
        Obs {
            value: Decimal::from(value),
            yoy_pct: None,
            share_pct: None,
            share_change_pp: None,
            source: Source { file, line },
            revised_from: None,
        }
    }

    #[test]
    fn values_at_the_edge_of_a_cell_come_back_exactly_and_sum_exactly() {
        let mut o = Observations::new(1);
        o.begin_file(0, 0).unwrap();
        // Mantissas of 56 bits fit a cell; one more bit, and the value is kept apart.
        let values = [
            "36028797018963967",
            "36028797018963968",
            "-36028797018963968",
            "-36028797018963969",
            "3602879701896396.7",
            "0.5",
            "1",
            "2.25",
            "-0",
            "4",
            "5",
            "6",
        ];
        let mut want = Decimal::ZERO;
        for (i, v) in values.iter().enumerate() {
            let k = key(0, Flow::Balance, Basis::Month, &format!("2019-{:02}", i + 1));
            let value: Decimal = v.parse().unwrap();
            let source = Source { file: 0, line: 2 + i as u32 };
            // The loader's two ways in: a plain row, and a row stored whole.
            if i % 2 == 0 {
                assert!(o.put_new(k, value, source));
            } else {
                o.insert(
                    k,
                    Obs { value, yoy_pct: None, share_pct: None, share_change_pp: None, source, revised_from: None },
                );
            }
            let got = o.amount(&k).unwrap();
            assert_eq!((got.to_string(), got.is_sign_negative()), (value.to_string(), value.is_sign_negative()), "{v}");
            want += value;
        }
        assert_eq!(o.month_sum(0, Flow::Balance, "2019-12".parse().unwrap()), Some(want));
        // Months of one scale are summed as integers, here as large as a cell holds.
        let mut want = Decimal::ZERO;
        for month in 1..=12 {
            let value = Decimal::new((1 << 55) - month, 1);
            let source = Source { file: 0, line: 20 + month as u32 };
            assert!(o.put_new(key(0, Flow::Export, Basis::Month, &format!("2019-{month:02}")), value, source));
            want += value;
        }
        assert_eq!(o.month_sum(0, Flow::Export, "2019-12".parse().unwrap()), Some(want));
        let k = |m: &str| key(0, Flow::Balance, Basis::Month, m);
        let edge = |m: i64| Plain::new(&k("2019-01"), m, 0, 1).map(|p| p.value());
        assert_eq!(edge((1 << 55) - 1), Some(Decimal::from((1i64 << 55) - 1)));
        assert_eq!(edge(-(1 << 55)), Some(Decimal::from(-(1i64 << 55))));
        assert_eq!((edge(1 << 55), edge(-(1 << 55) - 1)), (None, None));
    }

    #[test]
    fn stores_rows_in_any_order_and_finds_their_lines() {
        let mut o = Observations::new(2);
        o.begin_file(0, 0).unwrap();
        let months = ["2019-07", "2018-01", "2019-08", "2001-03", "2019-07"];
        for (i, m) in months.iter().enumerate() {
            o.insert(key(1, Flow::Import, Basis::Ytd, m), obs(i as i64, 0, i as u32 + 2));
        }
        o.begin_file(1, 9).unwrap();
        let mut revised = obs(7, 1, 2);
        revised.yoy_pct = Some(Decimal::ONE);
        o.insert(key(0, Flow::Balance, Basis::Month, "2019-08"), revised);
        assert_eq!(o.len(), 5);
        let got = o.get(&key(1, Flow::Import, Basis::Ytd, "2019-07")).unwrap();
        assert_eq!((got.value, got.source), (Decimal::from(4), Source { file: 0, line: 6 }));
        let got = o.get(&key(0, Flow::Balance, Basis::Month, "2019-08")).unwrap();
        assert_eq!(
            (got.value, got.source, got.yoy_pct),
            (Decimal::from(7), Source { file: 1, line: 2 }, Some(Decimal::ONE))
        );
        assert!(o.get(&key(1, Flow::Import, Basis::Ytd, "2010-01")).is_none());
        // Values come back exactly as stored, scale and sign too, however wide.
        for (i, v) in ["12.50", "-0", "-0.00", "79228162514264337593543950335", "0.0000000000000000000000000001", "-7"]
            .iter()
            .enumerate()
        {
            let k = key(0, Flow::Balance, Basis::Ytd, &format!("2019-{:02}", i + 1));
            let mut ob = obs(0, 1, 3 + i as u32);
            ob.value = v.parse().unwrap();
            o.insert(k, ob);
            let got = o.get(&k).unwrap().value;
            assert_eq!((got.to_string(), got.is_sign_negative()), (ob.value.to_string(), ob.value.is_sign_negative()));
            o.remove(&k);
        }
        assert!(o.get(&key(1, Flow::Import, Basis::Month, "2019-07")).is_none());
        let keys: Vec<String> = o.keys().map(|k| format!("{} {} {} {}", k.series, k.flow, k.basis, k.period)).collect();
        assert_eq!(
            keys,
            [
                "0 balance month 2019-08",
                "1 import ytd 2001-03",
                "1 import ytd 2018-01",
                "1 import ytd 2019-07",
                "1 import ytd 2019-08"
            ]
        );
        assert_eq!(o.last_period(1).unwrap().to_string(), "2019-08");
        o.remove(&key(1, Flow::Import, Basis::Ytd, "2019-08"));
        assert_eq!((o.len(), o.last_period(1).unwrap().to_string()), (4, "2019-07".to_string()));
    }
}
