//! Reading canonical CSV as a stream: one thread cuts the input into blocks of whole lines,
//! the other cores parse and check the blocks, and the caller takes their rows in file order.
//! Memory holds a few blocks at a time, whatever the size of the file.
//!
//! One file for one concern, though long: the quick reader of common rows and the full reader
//! that every other row falls back to must refuse and accept exactly the same lines (a property
//! test holds them to it), and keeping them side by side is what keeps them in step.

use super::store::Plain;
use super::{
    Annex, Basis, DatasetError, FastMap, Flow, MAX_RATE, MAX_VALUE, Membership, ObsKey, Period, SeriesId, Spec,
    TOTAL_DIMENSION, parse_decimal,
};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
use std::sync::{Mutex, mpsc};

/// Bytes a block holds (512 KiB): large enough that a block is worth a thread, small enough that
/// a few in flight cost little memory and that the U.S. data's 9 MB make 17 blocks to share
/// between the cores and recycle (with 2 MiB, 5: its load took 12% longer, 42 -> 48 ms).
const BLOCK: usize = 1 << 19;
/// The longest line read: a longer one is not a row of trade statistics, and reading on would
/// hold the whole file in memory.
const MAX_LINE: usize = 1 << 24;
/// The longest field: ids, months and numbers are short.
const MAX_FIELD: usize = 256;
/// The longest text of a provenance column (`source_url`, `note`): an address with its query.
const MAX_TEXT: usize = 4096;
/// Blocks read ahead of the rows the caller has taken.
const IN_FLIGHT: usize = 4;

const REQUIRED_COLUMNS: [&str; 6] = ["period", "basis", "flow", "dimension", "member", "value"];
const OPTIONAL_COLUMNS: [&str; 7] =
    ["yoy_pct", "share_pct", "share_change_pp", "quantity", "quantity_yoy_pct", "source_url", "note"];
/// Every column a header may name.
const COLUMNS: usize = REQUIRED_COLUMNS.len() + OPTIONAL_COLUMNS.len();

/// What checking a row needs to know of the dataset.
pub(super) struct Lookup<'a> {
    /// The dataset's description.
    spec: &'a Spec,
    /// (dimension, member) to series, keyed by [`pair_key`]: one lookup a row.
    index: &'a FastMap<String, SeriesId>,
    /// Groups, whose values are summed and never read.
    groups: &'a HashMap<SeriesId, Vec<Membership>>,
    /// The series a row may give, keyed by the bytes `dimension,member` as a row holds them:
    /// what [`quick_row`] looks up. Ids a row could not hold unquoted and untrimmed are left out
    /// (their rows are read by [`row`]).
    quick: FastMap<Box<[u8]>, SeriesId>,
}

impl<'a> Lookup<'a> {
    /// The lookup of a dataset's series and groups.
    pub fn new(
        spec: &'a Spec,
        index: &'a FastMap<String, SeriesId>,
        groups: &'a HashMap<SeriesId, Vec<Membership>>,
    ) -> Lookup<'a> {
        let plain = |id: &str| id.len() <= MAX_FIELD && id.trim() == id && !id.contains([',', '"', '\n', '\r']);
        let quick = index
            .iter()
            .filter(|(_, s)| !groups.contains_key(s))
            .filter_map(|(key, s)| {
                let (dimension, member) = key.split_once('\u{1f}')?;
                (plain(dimension) && plain(member)).then(|| (format!("{dimension},{member}").into_bytes().into(), *s))
            })
            .collect();
        Lookup { spec, index, groups, quick }
    }
}

/// The key of a (dimension, member) pair, written into `buf`: the two joined by a control
/// character no id holds.
pub(super) fn pair_key<'b>(buf: &'b mut String, dimension: &str, member: &str) -> &'b str {
    buf.clear();
    buf.push_str(dimension);
    buf.push('\u{1f}');
    buf.push_str(member);
    buf
}

/// Up to eight bytes as a number, to tell the few words of the flow and basis columns apart
/// without a string comparison each; a longer word is never one of them.
const fn pack(b: &[u8]) -> u64 {
    if b.len() > 8 {
        return u64::MAX;
    }
    let mut w = 0u64;
    let mut i = 0;
    while i < b.len() {
        w |= (b[i] as u64) << (8 * i);
        i += 1;
    }
    w
}

const MONTH: u64 = pack(b"month");
const YTD: u64 = pack(b"ytd");
const EXPORT: u64 = pack(b"export");
const IMPORT: u64 = pack(b"import");
const TOTAL: u64 = pack(b"total");
const BALANCE: u64 = pack(b"balance");

/// A month written `YYYY-MM`, read from its bytes: the common case, quickly. `None` sends anything
/// else to `Period::from_str`, which accepts or refuses it with its message.
fn month(b: &[u8]) -> Option<Period> {
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    let digit = |i: usize| (b[i] as u32).wrapping_sub(b'0' as u32);
    if [0, 1, 2, 3, 5, 6].iter().any(|&i| digit(i) > 9) {
        return None;
    }
    Period::new((digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)) as i32, digit(5) * 10 + digit(6))
}

/// A plain decimal (`-?digits(.digits)?`, at most 18 digits) read from its bytes, as
/// `Decimal::from_str` reads it: the common case, quickly. `None` sends anything else (a
/// negative zero too, whose sign this would lose) to [`parse_decimal`].
fn number(text: &str) -> Option<Decimal> {
    number_parts(text.as_bytes()).map(|(m, scale)| Decimal::new(m, scale as u32))
}

/// [`number`] as a signed mantissa and its scale.
fn number_parts(b: &[u8]) -> Option<(i64, u8)> {
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 || digits[0] == b'.' || digits[digits.len() - 1] == b'.' {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale = 0;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => mantissa = mantissa * 10 + (c - b'0') as i64,
            b'.' if scale == 0 => scale = digits.len() - i - 1,
            _ => return None,
        }
    }
    if negative && mantissa == 0 {
        return None;
    }
    Some((if negative { -mantissa } else { mantissa }, scale as u8))
}

/// Rates a row publishes beside its value.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Rates {
    pub yoy_pct: Option<Decimal>,
    pub share_pct: Option<Decimal>,
    pub share_change_pp: Option<Decimal>,
}

/// A block's rows, checked: the plain ones compactly, the few others whole.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    /// Rows of a value alone, as most are.
    pub plain: Vec<Plain>,
    /// Rows with published rates, or values too wide for [`Plain`], or read by [`row`].
    pub odd: Vec<Row>,
}

/// One checked row.
#[derive(Debug)]
pub(super) struct Row {
    pub key: ObsKey,
    /// `None` for a row that gives published figures without a value.
    pub value: Option<Decimal>,
    pub rates: Option<Box<Rates>>,
    pub annex: Option<Box<Annex>>,
    pub line: u32,
}

/// Where each column is in the file.
struct Columns {
    names: Vec<String>,
    at: [Option<usize>; COLUMNS],
    /// The column at each position of a row.
    kinds: Vec<usize>,
}

const PERIOD: usize = 0;
const BASIS: usize = 1;
const FLOW: usize = 2;
const DIMENSION: usize = 3;
const MEMBER: usize = 4;
const VALUE: usize = 5;
const YOY: usize = 6;
const SHARE: usize = 7;
const SHARE_CHANGE: usize = 8;
const QUANTITY: usize = 9;
const QUANTITY_YOY: usize = 10;
const SOURCE_URL: usize = 11;
const NOTE: usize = 12;
/// The columns [`quick_row`] leaves to [`row`] wherever they are not empty.
const FULL_ONLY: [usize; 7] = [YOY, SHARE, SHARE_CHANGE, QUANTITY, QUANTITY_YOY, SOURCE_URL, NOTE];

fn column_name(i: usize) -> &'static str {
    if i < 6 { REQUIRED_COLUMNS[i] } else { OPTIONAL_COLUMNS[i - 6] }
}

fn known_columns() -> String {
    (0..COLUMNS).map(column_name).collect::<Vec<_>>().join(", ")
}

/// The longest a field of a column may be: text for provenance, short for the rest.
fn max_field(column: usize) -> usize {
    if column >= SOURCE_URL { MAX_TEXT } else { MAX_FIELD }
}

fn row_err(path: &Path, line: u64, field: &str, message: String) -> DatasetError {
    DatasetError::Row { path: path.to_path_buf(), line, field: field.to_string(), message }
}

/// Reads a CSV stream and hands its rows, checked, to `take` a block at a time, in file order.
/// Returns the number of the last line. A fault in the rows of a block stops the reading before
/// `take` has that block or any after it.
pub(super) fn read_rows<R: Read + Send>(
    path: &Path,
    mut input: R,
    lookup: &Lookup,
    mut take: impl FnMut(&mut Parsed) -> Result<(), DatasetError>,
) -> Result<u64, DatasetError> {
    let io = |source| DatasetError::Io { path: path.to_path_buf(), source };
    let mut first = Vec::with_capacity(BLOCK);
    let mut eof = fill(&mut input, &mut first, BLOCK).map_err(io)?;
    // A byte-order mark, as spreadsheet programs write, is not part of the first column's name.
    if first.starts_with(b"\xEF\xBB\xBF") {
        first.drain(..3);
    }
    let mut header_end = line_end(&first);
    while header_end.is_none() && !eof {
        if first.len() > MAX_LINE {
            return Err(long_line(path, 1));
        }
        let had = first.len();
        eof = fill(&mut input, &mut first, had + BLOCK).map_err(io)?;
        header_end = line_end(&first);
    }
    let header_end = header_end.unwrap_or(first.len());
    if let Some(at) = lone_cr(&first[..header_end]) {
        return Err(lone_cr_err(path, 1 + count_newlines(&first[..at])));
    }
    if header_end > MAX_LINE {
        return Err(long_line(path, 1));
    }
    let columns = header(path, &first[..header_end])?;
    let first_line = 1 + count_newlines(&first[..header_end]);
    let rest = {
        first.drain(..header_end);
        first
    };
    if eof {
        // One block: no thread is worth starting.
        take(&mut parse_block(path, &rest, first_line, &columns, lookup, true, Vec::new())?)?;
        return Ok(first_line + count_newlines(&rest));
    }
    read_blocks(path, input, rest, first_line, &columns, lookup, &mut take)
}

fn long_line(path: &Path, line: u64) -> DatasetError {
    row_err(path, line, "row", format!("a line is longer than {} MiB: not canonical CSV", MAX_LINE >> 20))
}

/// Reads until `buf` holds `want` bytes or the input ends; true at the end.
fn fill<R: Read>(input: &mut R, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let need = want.saturating_sub(buf.len());
    buf.reserve(need);
    // `read_to_end` reads into the spare capacity without zeroing it first.
    let got = input.by_ref().take(need as u64).read_to_end(buf)?;
    Ok(got < need)
}

fn count_newlines(bytes: &[u8]) -> u64 {
    count(bytes, b'\n') as u64
}

/// How many times `byte` occurs. The reading thread counts the lines and quotes of every block;
/// `iter().filter().count()` compiles to a loop two bytes at a time, this to one 16 bytes at a
/// time (byte counters, emptied before they can overflow).
fn count(bytes: &[u8], byte: u8) -> usize {
    let mut n = 0;
    for chunk in bytes.chunks(16 * 255) {
        let mut lanes = [0u8; 16];
        let mut sixteens = chunk.chunks_exact(16);
        for sixteen in &mut sixteens {
            for (lane, b) in lanes.iter_mut().zip(sixteen) {
                *lane += u8::from(*b == byte);
            }
        }
        n += lanes.iter().map(|l| *l as usize).sum::<usize>();
        n += sixteens.remainder().iter().filter(|b| **b == byte).count();
    }
    n
}

/// The end (after its `\n`) of the first line, which may hold line breaks inside quotes.
fn line_end(bytes: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The end of the last whole line of a block that starts outside quotes: after its last `\n`
/// with an even number of quotes before it.
fn last_line_end(bytes: &[u8]) -> Option<usize> {
    if !bytes.contains(&b'"') {
        return bytes.iter().rposition(|b| *b == b'\n').map(|i| i + 1);
    }
    let mut quotes = count(bytes, b'"');
    let mut end = bytes.len();
    while let Some(i) = bytes[..end].iter().rposition(|b| *b == b'\n') {
        quotes -= count(&bytes[i..end], b'"');
        if quotes.is_multiple_of(2) {
            return Some(i + 1);
        }
        end = i;
    }
    None
}

/// Fields are trimmed where they are read (`str::trim`, which does not copy), not by the csv
/// crate, which rebuilds every record to trim it.
fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes)
}

fn header(path: &Path, bytes: &[u8]) -> Result<Columns, DatasetError> {
    let mut record = csv::StringRecord::new();
    match csv_reader(bytes).read_record(&mut record) {
        Ok(_) => {}
        Err(e) => return Err(row_err(path, 1, "header", csv_message(&e))),
    }
    let mut at = [None; COLUMNS];
    let mut kinds = Vec::new();
    for (i, h) in record.iter().map(str::trim).enumerate() {
        let Some(c) = (0..COLUMNS).find(|c| column_name(*c) == h) else {
            let hint = match [';', '\t', '|'].into_iter().find(|d| h.contains(*d)) {
                Some(d) => format!("; the file seems to use {d:?} between fields, where canonical CSV uses commas"),
                None => String::new(),
            };
            return Err(row_err(path, 1, h, format!("unknown column; the columns are {}{hint}", known_columns())));
        };
        if at[c].replace(i).is_some() {
            return Err(row_err(path, 1, h, "column given twice".into()));
        }
        kinds.push(c);
    }
    if let Some(c) = (0..6).find(|c| at[*c].is_none()) {
        return Err(row_err(path, 1, column_name(c), format!("missing column; the columns are {}", known_columns())));
    }
    Ok(Columns { names: record.iter().map(|h| h.trim().to_string()).collect(), at, kinds })
}

type Done = (usize, Result<Parsed, DatasetError>);

#[allow(clippy::too_many_arguments)]
fn read_blocks<R: Read + Send>(
    path: &Path,
    mut input: R,
    rest: Vec<u8>,
    first_line: u64,
    columns: &Columns,
    lookup: &Lookup,
    take: &mut impl FnMut(&mut Parsed) -> Result<(), DatasetError>,
) -> Result<u64, DatasetError> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).max(1);
    let (block_tx, block_rx) = mpsc::sync_channel::<(usize, u64, Vec<u8>, bool)>(IN_FLIGHT);
    let block_rx = Mutex::new(block_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    // A permit for each block in flight, returned as the caller takes its rows: reading never runs
    // more than IN_FLIGHT blocks ahead, however slow the caller.
    let (permit_tx, permit_rx) = mpsc::sync_channel::<()>(IN_FLIGHT);
    for _ in 0..IN_FLIGHT {
        permit_tx.send(()).expect("room for every permit");
    }
    // Blocks and rows' vectors go back to be filled again: fresh memory costs a page fault every
    // 4 KiB, about a third of the time of reading a file of ten megabytes.
    let (spare_block_tx, spare_block_rx) = mpsc::channel::<Vec<u8>>();
    let (spare_rows_tx, spare_rows_rx) = mpsc::channel::<Vec<Plain>>();
    let spare_rows_rx = Mutex::new(spare_rows_rx);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<u64, DatasetError> {
            let io = |source| DatasetError::Io { path: path.to_path_buf(), source };
            let mut carry = rest;
            let mut line = first_line;
            let mut seq = 0;
            loop {
                let mut eof = fill(&mut input, &mut carry, BLOCK).map_err(io)?;
                let mut cut = last_line_end(&carry);
                while cut.is_none() && !eof {
                    if carry.len() > MAX_LINE {
                        return Err(long_line(path, line));
                    }
                    let want = carry.len() + BLOCK;
                    eof = fill(&mut input, &mut carry, want).map_err(io)?;
                    cut = last_line_end(&carry);
                }
                // A line longer than a block starts the block: it is the first line.
                if line_end(&carry).unwrap_or(carry.len()) > MAX_LINE {
                    return Err(long_line(path, line));
                }
                let cut = if eof { carry.len() } else { cut.expect("a line end, or the end of the input") };
                let mut next = spare_block_rx.try_recv().unwrap_or_else(|_| Vec::with_capacity(BLOCK));
                next.clear();
                next.extend_from_slice(&carry[cut..]);
                carry.truncate(cut);
                let block = std::mem::replace(&mut carry, next);
                let lines = count_newlines(&block);
                let last = eof && carry.is_empty();
                if permit_rx.recv().is_err() || block_tx.send((seq, line, block, last)).is_err() {
                    return Ok(line); // the caller stopped at a fault
                }
                line += lines;
                seq += 1;
                if last {
                    return Ok(line);
                }
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (block_rx, spare_rows_rx, spare_block_tx) = (&block_rx, &spare_rows_rx, spare_block_tx.clone());
            scope.spawn(move || {
                loop {
                    let next = block_rx.lock().expect("no worker panics").recv();
                    let Ok((seq, line, block, last)) = next else { return };
                    let spare = spare_rows_rx.lock().expect("no worker panics").try_recv().unwrap_or_default();
                    let rows = parse_block(path, &block, line, columns, lookup, last, spare);
                    let _ = spare_block_tx.send(block);
                    if done_tx.send((seq, rows)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut pending: BTreeMap<usize, Result<Parsed, DatasetError>> = BTreeMap::new();
        let mut next = 0;
        let mut outcome = Ok(());
        for (seq, rows) in done_rx.iter() {
            pending.insert(seq, rows);
            while let Some(rows) = pending.remove(&next) {
                next += 1;
                outcome = rows.and_then(|mut rows| {
                    take(&mut rows)?;
                    let _ = spare_rows_tx.send(rows.plain);
                    Ok(())
                });
                if outcome.is_err() {
                    break;
                }
                let _ = permit_tx.send(());
            }
            if outcome.is_err() {
                break;
            }
        }
        // Stops the reader and the workers: their channels close.
        drop(permit_tx);
        drop(done_rx);
        let last = reader.join().expect("the reader does not panic");
        outcome?;
        last
    })
}

/// Parses and checks a block of whole lines whose first line is `first_line` of the file; the
/// final block of a file must end with a line break.
fn parse_block(
    path: &Path,
    block: &[u8],
    first_line: u64,
    columns: &Columns,
    lookup: &Lookup,
    final_block: bool,
    mut plain: Vec<Plain>,
) -> Result<Parsed, DatasetError> {
    plain.clear();
    plain.reserve(block.len() / 32);
    let mut parsed = Parsed { plain, odd: Vec::new() };
    let mut pair = String::new();
    let mut key = Vec::new();
    if let Some(at) = lone_cr(block) {
        return Err(lone_cr_err(path, first_line + count_newlines(&block[..at])));
    }
    if !block.contains(&b'"') {
        // No quotes: a line is a row and a comma ends a field, so the rows are split here in one
        // pass over the bytes, without the csv crate's state machine.
        let mut spans = [(0, 0); COLUMNS];
        let (mut at, mut line) = (0, first_line);
        while at < block.len() {
            let (mut n, mut start, mut end) = (0, at, at);
            while end < block.len() && block[end] != b'\n' {
                if block[end] == b',' {
                    if n < spans.len() {
                        spans[n] = (start - at, end - at);
                    }
                    n += 1;
                    start = end + 1;
                }
                end += 1;
            }
            let raw = &block[at..end];
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            if n < spans.len() {
                spans[n] = ((start - at).min(raw.len()), raw.len());
            }
            n += 1;
            if !raw.is_empty() {
                // More fields than `spans` holds are more than any header has: the full reader says so.
                let quick = spans.get(..n).and_then(|spans| quick_row(raw, spans, columns, lookup, &mut key, line));
                match quick {
                    Some(p) => parsed.plain.push(p),
                    None => parsed.odd.push(slow_row(path, line, raw, columns, lookup, &mut pair)?),
                }
            }
            (at, line) = (end + 1, line + 1);
        }
    } else {
        let mut rdr = csv_reader(block);
        let mut record = csv::StringRecord::new();
        loop {
            let more = rdr.read_record(&mut record).map_err(|e| {
                let line = first_line + e.position().map_or(1, |p| p.line()) - 1;
                row_err(path, line, "row", csv_message(&e))
            })?;
            if !more {
                break;
            }
            let line = first_line + record.position().map_or(1, |p| p.line()) - 1;
            let mut cells = [""; COLUMNS];
            for (i, f) in record.iter().take(cells.len()).enumerate() {
                cells[i] = f;
            }
            check_row(path, line, columns, record.len(), &cells)?;
            parsed.odd.push(row(path, line, columns, lookup, &cells[..record.len()], &mut pair)?);
        }
    }
    // A file cut short in transfer ends inside a line, and its last value may be cut too:
    // "1234" read as "12" would be a wrong figure, not a fault anyone sees.
    if final_block && !block.is_empty() && !block.ends_with(b"\n") {
        let line = first_line + count_newlines(block);
        let message = "the last line has no line break: the file may have been cut short".to_string();
        return Err(row_err(path, line, "row", message));
    }
    Ok(parsed)
}

/// Reads a row of the common form from its bytes, quickly: the right number of fields, a month
/// `YYYY-MM`, a basis and flow as written, ids exactly as declared, a plain positive value (or a
/// negative balance) below 10^15, and nothing in the optional columns (rates, quantities,
/// provenance). `None` sends the line to [`slow_row`],
/// which reads whatever else canonical CSV allows and says what is wrong with the rest: a row this
/// accepts, [`row`] reads the same.
/// `spans` are where the fields are in `raw`, the line.
fn quick_row(
    raw: &[u8],
    spans: &[(usize, usize)],
    columns: &Columns,
    lookup: &Lookup,
    key: &mut Vec<u8>,
    line: u64,
) -> Option<Plain> {
    let field = |c: usize| columns.at[c].map_or(&b""[..], |i| &raw[spans[i].0..spans[i].1]);
    if spans.len() != columns.names.len() || FULL_ONLY.iter().any(|c| !field(*c).is_empty()) {
        return None;
    }
    let period = month(field(PERIOD))?;
    let basis = match pack(field(BASIS)) {
        MONTH => Basis::Month,
        YTD => Basis::Ytd,
        _ => return None,
    };
    let flow = match pack(field(FLOW)) {
        EXPORT => Flow::Export,
        IMPORT => Flow::Import,
        TOTAL => Flow::Total,
        BALANCE => Flow::Balance,
        _ => return None,
    };
    let series = match (columns.at[DIMENSION], columns.at[MEMBER]) {
        // Side by side, as in the canonical order: the line already holds `dimension,member`.
        (Some(d), Some(m)) if m == d + 1 => lookup.quick.get(&raw[spans[d].0..spans[m].1]),
        _ => {
            key.clear();
            key.extend_from_slice(field(DIMENSION));
            key.push(b',');
            key.extend_from_slice(field(MEMBER));
            lookup.quick.get(key.as_slice())
        }
    };
    let series = *series?;
    let (mantissa, scale) = number_parts(field(VALUE))?;
    if (mantissa < 0 && flow != Flow::Balance) || mantissa.unsigned_abs() >= QUICK_LIMIT {
        return None;
    }
    Plain::new(&ObsKey { series, flow, basis, period }, mantissa, scale, u32::try_from(line).ok()?)
}

/// Mantissas [`quick_row`] takes: whatever their scale, their values are within [`MAX_VALUE`].
const QUICK_LIMIT: u64 = 1_000_000_000_000_000;

/// Reads and checks a line that [`quick_row`] did not take: it may be valid all the same.
fn slow_row(
    path: &Path,
    line: u64,
    raw: &[u8],
    columns: &Columns,
    lookup: &Lookup,
    pair: &mut String,
) -> Result<Row, DatasetError> {
    let text = std::str::from_utf8(raw).map_err(|_| row_err(path, line, "row", "is not valid UTF-8".into()))?;
    let mut fields = [""; COLUMNS];
    let mut n = 0;
    for f in text.split(',') {
        if n < fields.len() {
            fields[n] = f;
        }
        n += 1;
    }
    check_row(path, line, columns, n, &fields)?;
    row(path, line, columns, lookup, &fields[..n], pair)
}

/// Where a carriage return stands without a line feed after it: old Mac line ends, which the
/// blocks (cut at line feeds) cannot follow; refused rather than read as one long line.
fn lone_cr(bytes: &[u8]) -> Option<usize> {
    if !bytes.contains(&b'\r') {
        return None;
    }
    (0..bytes.len()).find(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

fn lone_cr_err(path: &Path, line: u64) -> DatasetError {
    let message = "a carriage return without a line feed: lines must end with LF or CRLF".to_string();
    row_err(path, line, "row", message)
}

/// Refuses a row of the wrong width (`n` fields, the first of them in `fields`) or with a field
/// too long to be an id, a number or a provenance text, before any message quotes it.
fn check_row(
    path: &Path,
    line: u64,
    columns: &Columns,
    n: usize,
    fields: &[&str; COLUMNS],
) -> Result<(), DatasetError> {
    let width = columns.names.len();
    if n != width {
        let (field, message) = if n < width {
            (columns.names[n].as_str(), format!("missing: the row has {n} fields where the header has {width}"))
        } else {
            ("row", format!("the row has {n} fields where the header has {width}"))
        };
        return Err(row_err(path, line, field, message));
    }
    if let Some(i) = fields[..n].iter().enumerate().position(|(i, f)| f.len() > max_field(columns.kinds[i])) {
        let size = fields[i].len();
        return Err(row_err(
            path,
            line,
            &columns.names[i],
            format!("is {size} bytes long: no field of canonical CSV is"),
        ));
    }
    Ok(())
}

/// Checks one row of the right width and makes it an observation.
fn row(
    path: &Path,
    line: u64,
    columns: &Columns,
    lookup: &Lookup,
    record: &[&str],
    pair: &mut String,
) -> Result<Row, DatasetError> {
    {
        let err = |field: &str, message: String| row_err(path, line, field, message);
        let get = |c: usize| columns.at[c].map_or("", |i| record[i].trim());
        let parse = |c: usize| -> Result<Option<Decimal>, DatasetError> {
            let text = get(c);
            if text.is_empty() {
                return Ok(None);
            }
            match number(text) {
                Some(d) => Ok(Some(d)),
                None => parse_decimal(text).map(Some).map_err(|m| err(column_name(c), m)),
            }
        };
        let period = match month(get(PERIOD).as_bytes()) {
            Some(p) => p,
            None => get(PERIOD).parse().map_err(|m| err("period", m))?,
        };
        let basis = match pack(get(BASIS).as_bytes()) {
            MONTH => Basis::Month,
            YTD => Basis::Ytd,
            _ => get(BASIS).parse().map_err(|m| err("basis", m))?,
        };
        let flow = match pack(get(FLOW).as_bytes()) {
            EXPORT => Flow::Export,
            IMPORT => Flow::Import,
            TOTAL => Flow::Total,
            BALANCE => Flow::Balance,
            _ => get(FLOW).parse().map_err(|m| err("flow", m))?,
        };
        let (dimension, member) = (get(DIMENSION), get(MEMBER));
        let series = match lookup.index.get(pair_key(pair, dimension, member)) {
            Some(&s) if !lookup.groups.contains_key(&s) => s,
            found => {
                let (field, message) = not_a_series(lookup, dimension, member, found.is_some());
                return Err(err(field, message));
            }
        };
        let value = parse(VALUE)?;
        if let Some(value) = value {
            if value.is_sign_negative() && !value.is_zero() && flow != Flow::Balance {
                return Err(err("value", format!("`{value}` is negative; only a balance can be")));
            }
            if value.abs() > MAX_VALUE {
                return Err(err("value", format!("`{value}` is larger than {MAX_VALUE}: check the unit")));
            }
        }
        let rate = |c: usize, floor: Decimal| -> Result<Option<Decimal>, DatasetError> {
            let g = parse(c)?;
            match g {
                Some(g) if g < floor || g > MAX_RATE => {
                    Err(err(column_name(c), format!("`{g}` is not a possible growth rate for {flow}")))
                }
                _ => Ok(g),
            }
        };
        let floor = if flow == Flow::Balance { -MAX_RATE } else { -Decimal::ONE_HUNDRED };
        let yoy_pct = rate(YOY, floor)?;
        let share_pct = parse(SHARE)?;
        if let Some(sh) = share_pct.filter(|sh| *sh < Decimal::ZERO || *sh > Decimal::ONE_HUNDRED) {
            return Err(err("share_pct", format!("`{sh}` is not a share between 0 and 100")));
        }
        let share_change_pp = parse(SHARE_CHANGE)?;
        if let Some(c) = share_change_pp.filter(|c| c.abs() > Decimal::ONE_HUNDRED) {
            return Err(err("share_change_pp", format!("`{c}` is not a change of a share")));
        }
        let quantity = parse(QUANTITY)?;
        let quantity_yoy_pct = rate(QUANTITY_YOY, -Decimal::ONE_HUNDRED)?;
        if quantity.is_some() || quantity_yoy_pct.is_some() {
            let field = if quantity.is_some() { "quantity" } else { "quantity_yoy_pct" };
            if flow == Flow::Balance {
                return Err(err(field, "a balance has no quantity".into()));
            }
            let unit = lookup.spec.dimensions.get(dimension).and_then(|d| d.quantity_unit_of(member));
            if unit.is_none() {
                let message = format!(
                    "`{member}` of `{dimension}` has no unit of quantity: declare `quantity_unit` (or `quantity_units`) for the dimension in dataset.yaml"
                );
                return Err(err(field, message));
            }
        }
        if let Some(q) = quantity.filter(|q| (q.is_sign_negative() && !q.is_zero()) || *q > MAX_VALUE) {
            return Err(err("quantity", format!("`{q}` is not a possible quantity (0 to {MAX_VALUE})")));
        }
        if value.is_none()
            && yoy_pct.is_none()
            && share_pct.is_none()
            && quantity.is_none()
            && quantity_yoy_pct.is_none()
        {
            let message = if share_change_pp.is_some() {
                "is empty, and a row without a value must give a rate, a share or a quantity".to_string()
            } else {
                "is empty".to_string()
            };
            return Err(err("value", message));
        }
        let text = |c: usize| Some(get(c)).filter(|t| !t.is_empty()).map(String::from);
        let annex = Annex { quantity, quantity_yoy_pct, source_url: text(SOURCE_URL), note: text(NOTE) };
        let annex = (annex != Annex::default()).then(|| Box::new(annex));
        let rates = (yoy_pct.is_some() || share_pct.is_some() || share_change_pp.is_some())
            .then(|| Box::new(Rates { yoy_pct, share_pct, share_change_pp }));
        let line = u32::try_from(line).map_err(|_| err("row", "the file has more than four billion lines".into()))?;
        Ok(Row { key: ObsKey { series, flow, basis, period }, value, rates, annex, line })
    }
}

/// Why a row's dimension and member name no series a row may give: the field at fault and the
/// message. `group` when they name a group, whose values are summed from its members.
fn not_a_series(lookup: &Lookup, dimension: &str, member: &str, group: bool) -> (&'static str, String) {
    if group {
        let message =
            format!("`{member}` is a group in dataset.yaml: its values are summed from its members, not read");
        return ("member", message);
    }
    if dimension != TOTAL_DIMENSION && !lookup.spec.dimensions.contains_key(dimension) {
        let known: Vec<&str> = lookup.spec.dimensions.keys().map(String::as_str).collect();
        let message = format!("`{dimension}` is not declared in dataset.yaml (declared: total, {})", known.join(", "));
        return ("dimension", message);
    }
    let hint = if dimension == TOTAL_DIMENSION { " (the total's one member is `all`)" } else { "" };
    ("member", format!("`{member}` is not a member of `{dimension}` in dataset.yaml{hint}"))
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_numbers_read_from_bytes_as_the_slow_way_reads_them() {
        for text in ["2019-07", "1800-01", "9999-12", "2019-13", "2019-00", "1799-12", "2019-7", "2019/07", "20a9-01"] {
            let slow = text.parse::<Period>().ok();
            let fast = month(text.as_bytes());
            assert!(fast.is_none() || fast == slow, "{text}");
            assert_eq!(fast.or(slow), slow, "{text}");
        }
        let texts = [
            "0",
            "-0",
            "-0.00",
            "12",
            "12.50",
            "-12.5",
            "0.05",
            "1.",
            ".5",
            "1.2.3",
            "+1",
            "-",
            "",
            "1e3",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999.9",
            "-00012.3400",
            "1,5",
        ];
        for text in texts {
            let slow = super::super::parse_decimal(text).ok();
            if let Some(fast) = number(text) {
                let slow = slow.unwrap_or_else(|| panic!("{text}: read quickly but refused the slow way"));
                assert_eq!(
                    (fast.to_string(), fast.is_sign_negative()),
                    (slow.to_string(), slow.is_sign_negative()),
                    "{text}"
                );
            }
        }
        assert!(number("12.50").is_some() && number("-0").is_none() && number("1.").is_none());
    }

    /// Whatever the quick reader takes, the full reader reads the same: the same key, the same
    /// value to its scale and sign, the same line, and no rates, quantity or provenance. Lines are
    /// made from variants of each field, valid or not, under four layouts of the header.
    #[test]
    fn the_quick_reader_agrees_with_the_full_reader() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let yaml = "# SYNTHETIC: made up by a unit test, not official\nid: t\nreporter:\n  en: { name: T, possessive: \"T's\" }\n\
                    currency: USD\nunit: 1\nsource:\n  en: synthetic\ndimensions:\n  partner:\n    quantity_unit: 10000 t\n    members:\n      a: { en: A }\n\
                    \x20     \"b \": { en: B }\n      c: { en: C }\n  bloc:\n    members:\n      g: { en: G }\n\
                    groups:\n  g:\n    dimension: bloc\n    of: partner\n    members: [a, c]\n";
        let spec = Spec::parse(Path::new("t/dataset.yaml"), yaml).unwrap();
        let super::super::Dataset { index, groups, .. } = super::super::Dataset::from_sources(
            Path::new("t"),
            spec.clone(),
            vec![(
                Path::new("t/x.csv").to_path_buf(),
                &b"period,basis,flow,dimension,member,value\n2019-01,month,export,total,all,1\n"[..],
            )],
        )
        .unwrap();
        let lookup = Lookup::new(&spec, &index, &groups);
        // Canonical, with every rate column, reversed (the member before its dimension), and with
        // quantities and provenance.
        let headers: [&[usize]; 4] = [
            &[0, 1, 2, 3, 4, 5],
            &[0, 1, 2, 3, 4, 5, 6, 7, 8],
            &[5, 4, 3, 2, 1, 0, 7],
            &[0, 1, 2, 3, 4, 5, 9, 10, 11, 12],
        ];
        let variants: [&[&str]; COLUMNS] = [
            &["2019-07", "1999-12", "2019-13", " 2019-07", "2019-7", "2019/07"],
            &["month", "ytd", " month", "Month", "year"],
            &["export", "import", "total", "balance", "exports", "export "],
            &["partner", "total", "bloc", " partner", "nope"],
            &["a", "b", "b ", "c", "g", "all", "a ", "z"],
            &[
                "12.50",
                "0",
                "-0",
                "-7.1",
                "1e3",
                "999999999999999.9",
                "1000000000000000",
                "123456789012345678",
                " 5",
                "",
                "1,5",
            ],
            &["", "1.5", " ", "x"],
            &["", "10"],
            &["", "-0.4"],
            &["", "12.5", "-1", "x"],
            &["", "9.5", "-101"],
            &["", "http://english.customs.gov.cn/Statics/x.html", " "],
            &["", "implied", "\u{1f}"],
        ];
        // Mostly the first two variants, which are valid, so that many lines are read quickly.
        let pick = prop_oneof![3 => 0usize..2, 1 => 0usize..64];
        let line = (0usize..4, prop::collection::vec(pick, COLUMNS), 1u64..5_000_000_000);
        let taken = std::cell::Cell::new(0);
        TestRunner::new(Config { cases: 4096, ..Config::default() })
            .run(&line, |(h, picks, number)| {
                let names: Vec<String> = headers[h].iter().map(|c| column_name(*c).to_string()).collect();
                let columns = header(Path::new("t/x.csv"), format!("{}\n", names.join(",")).as_bytes()).unwrap();
                let text: Vec<&str> = headers[h].iter().map(|&c| variants[c][picks[c] % variants[c].len()]).collect();
                let text = text.join(",");
                let mut spans = Vec::new();
                for field in text.split(',') {
                    let start = spans.last().map_or(0, |(_, end)| end + 1);
                    spans.push((start, start + field.len()));
                }
                let Some(quick) = quick_row(text.as_bytes(), &spans, &columns, &lookup, &mut Vec::new(), number) else {
                    return Ok(());
                };
                taken.set(taken.get() + 1);
                let full =
                    slow_row(Path::new("t/x.csv"), number, text.as_bytes(), &columns, &lookup, &mut String::new());
                let full = full.unwrap_or_else(|e| panic!("{text}: the quick reader took it, the full one says {e}"));
                let (value, want) = (quick.value(), full.value);
                prop_assert_eq!(
                    (quick.key(), quick.line, full.rates.is_none(), full.annex.is_none()),
                    (full.key, full.line, true, true),
                    "{}",
                    text
                );
                let want = want.expect("a value");
                prop_assert_eq!(
                    (value.to_string(), value.is_sign_negative()),
                    (want.to_string(), want.is_sign_negative())
                );
                Ok(())
            })
            .unwrap();
        assert!(taken.get() > 100, "only {} lines read quickly", taken.get());
    }

    #[test]
    fn bytes_are_counted_as_one_at_a_time_counts_them() {
        let bytes: Vec<u8> =
            (0..20_000u32).map(|i| if i.wrapping_mul(2_654_435_761) % 7 == 0 { b'\n' } else { b'x' }).collect();
        for (from, to) in [(0, 0), (0, 15), (3, 4096), (1, 4081), (17, 20_000), (0, 20_000)] {
            let slow = bytes[from..to].iter().filter(|b| **b == b'\n').count();
            assert_eq!(count(&bytes[from..to], b'\n'), slow, "{from}..{to}");
        }
        assert_eq!(count(&[b'\n'; 9000], b'\n'), 9000);
    }

    #[test]
    fn blocks_end_at_line_ends_outside_quotes() {
        assert_eq!(last_line_end(b"a,b\nc,d\ne"), Some(8));
        assert_eq!(last_line_end(b"a,\"b\nc\",d\ne,\"f\ng"), Some(10));
        assert_eq!(last_line_end(b"a,\"b\nc"), None);
        assert_eq!(line_end(b"\"x\ny\",z\nq"), Some(8));
    }
}
