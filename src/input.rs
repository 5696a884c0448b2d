//! Reading the files a run is handed (CSV, dataset.yaml, rules, templates; an import's tables
//! and layout; the bulletins `verify` reads) as untrusted input: regular files only, each under a
//! size limit, and YAML whose aliases cannot expand without bound. Every limit is listed in
//! docs/src/limits.md; every command reads its files through here, so a FIFO, a device or a link
//! to /dev/zero is refused in one place.

use serde::de::DeserializeSeed;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest CSV file a dataset may hold: over a hundred times the U.S. Census file.
pub const MAX_CSV_BYTES: u64 = 1 << 30;
/// The largest `dataset.yaml`.
pub const MAX_DATASET_YAML_BYTES: u64 = 1 << 20;
/// The largest rules file.
pub const MAX_RULES_BYTES: u64 = 1 << 20;
/// The largest template file.
pub const MAX_TEMPLATE_BYTES: u64 = 256 << 10;
/// The largest bulletin `verify` reads: a month's JSON for the U.S. data is under 1 MiB.
pub const MAX_BULLETIN_BYTES: u64 = 64 << 20;
/// The most YAML nodes (scalars, sequences and mappings) a YAML file may expand to, aliases
/// replayed: a file of 1 MiB written out in full has fewer than 600,000.
pub const MAX_YAML_NODES: usize = 1_000_000;

/// Opens `path` for reading if it is a regular file (a symbolic link to one is followed), and
/// refuses anything else before reading a byte: a FIFO would block forever, a device or
/// /dev/zero never ends. The file is opened without blocking, so even a FIFO's opening cannot hang.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // On a regular file O_NONBLOCK changes nothing; on a FIFO it makes open return at once.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a regular file ({})", describe(kind))));
    }
    Ok(file)
}

/// What a file that is not a regular file is, in words.
fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() { "a folder" } else { "not a plain file" }
}

/// A reader that fails, rather than stops, once more than `limit` bytes have been read: a file
/// that grows while it is read is refused too, never cut short.
pub struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the limit is enough to know it was passed.
        let want = buf.len().min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(too_large(self.limit));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("larger than the limit of {}", size_text(limit)))
}

/// `1 MiB`, `256 KiB`, `1 GiB`.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Opens a regular file no larger than `limit` bytes, as a reader that fails past the limit.
pub fn open_bounded(path: &Path, limit: u64) -> io::Result<Bounded<File>> {
    let file = open_regular(path)?;
    if file.metadata()?.len() > limit {
        return Err(too_large(limit));
    }
    Ok(Bounded { inner: file, left: limit, limit })
}

/// Reads a regular file of at most `limit` bytes as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    let mut text = String::new();
    open_bounded(path, limit)?.read_to_string(&mut text)?;
    Ok(text)
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_bounded(path, limit)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Checks that a YAML text expands to at most [`MAX_YAML_NODES`] nodes, aliases replayed, before
/// it is deserialised for real: nine aliases of nine aliases nine deep (the "billion laughs") are
/// a few hundred bytes that expand to a billion strings. Visiting stops at the limit, so the
/// check itself costs at most that many nodes. `Err` is the parser's error, with its location.
pub fn check_yaml_expansion(text: &str) -> Result<(), serde_yaml::Error> {
    let budget = std::cell::Cell::new(MAX_YAML_NODES);
    let de = serde_yaml::Deserializer::from_str(text);
    // A file of several documents is refused by the real parse; the first is enough here.
    Budget(&budget).deserialize(de)
}

/// The parser's message for a YAML fault, with its terse one for too many aliases explained.
pub fn yaml_limit_message(message: String) -> String {
    if message == "repetition limit exceeded" {
        "its aliases are replayed too often (more than 100 times the YAML's own size); write it out in full".into()
    } else {
        message
    }
}

/// Visits every node of a YAML value, counting down a budget of nodes.
struct Budget<'a>(&'a std::cell::Cell<usize>);

impl Budget<'_> {
    fn spend<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.0.get().checked_sub(1) {
            Some(left) => {
                self.0.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "the YAML expands to more than {MAX_YAML_NODES} values (aliases of aliases?); write it out in full"
            ))),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Budget<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Budget<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.spend()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.spend()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.spend()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.spend()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.spend()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.spend()?;
        Budget(self.0).deserialize(d)
    }
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.spend()?;
        Budget(self.0).deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend()?;
        while seq.next_element_seed(Budget(self.0))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend()?;
        while map.next_key_seed(Budget(self.0))?.is_some() {
            map.next_value_seed(Budget(self.0))?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.spend()?;
        let ((), variant) = data.variant_seed(Budget(self.0))?;
        variant.newtype_variant_seed(Budget(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_past_its_limit_fails_rather_than_stops() {
        let mut r = Bounded { inner: &b"0123456789"[..], left: 9, limit: 9 };
        let mut out = Vec::new();
        let e = r.read_to_end(&mut out).unwrap_err();
        assert_eq!(e.to_string(), "larger than the limit of 9 bytes");
        let mut r = Bounded { inner: &b"0123456789"[..], left: 10, limit: 10 };
        let mut out = Vec::new();
        assert_eq!(r.read_to_end(&mut out).unwrap(), 10);
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(1 << 20), "1 MiB");
        assert_eq!(size_text(256 << 10), "256 KiB");
        assert_eq!(size_text(1 << 30), "1 GiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }

    #[test]
    fn yaml_aliases_expand_only_so_far() {
        // Aliases of aliases nine deep are stopped by the parser's own count of alias jumps; one
        // wide anchor aliased a thousand times (10 KB, two million strings) is not.
        let bomb = format!("a: &a [{}]\nb: [{}]\n", ["x"; 2000].join(", "), ["*a"; 1000].join(", "));
        let e = check_yaml_expansion(&bomb).unwrap_err().to_string();
        assert!(e.contains("expands to more than 1000000 values"), "{e}");
        assert!(check_yaml_expansion("a: &x [1, 2]\nb: *x\nc: {d: [e, f]}\n").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_opened() {
        let e = open_regular(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a device)");
        let e = open_regular(Path::new("/")).unwrap_err();
        assert!(e.to_string().contains("not a regular file (a folder)") || e.kind() == io::ErrorKind::IsADirectory);
    }
}
