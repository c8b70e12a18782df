//! The cache's byte format: little-endian fixed-width numbers, lengths as `u32`, floats by their bits (so a value
//! read back is the value written, bit for bit, NaNs included). The reader never trusts a length: every count is
//! checked against the bytes left before anything is allocated from it, so a damaged or hostile file gives a
//! [`Corrupt`] error, never a panic or an allocation larger than a constant times the file.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Why bytes did not decode: the cache is damaged, truncated or not ours. Never shown to the planner beyond one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupt(pub &'static str);

/// A decoding result.
pub type Decoded<T> = Result<T, Corrupt>;

/// Appends values to a byte buffer.
#[derive(Default)]
pub struct Writer {
    /// What has been written.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// One byte.
    pub fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self, value: u16) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// Eight bytes, little-endian.
    pub fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A length or index. The model never holds 4 billion of anything (files are capped far below that).
    pub fn len(&mut self, value: usize) {
        self.u32(u32::try_from(value).unwrap_or(u32::MAX));
    }

    /// An `f64` by its bits.
    pub fn f64(&mut self, value: f64) {
        self.u64(value.to_bits());
    }

    /// An `f32` by its bits.
    pub fn f32(&mut self, value: f32) {
        self.u32(value.to_bits());
    }

    /// Raw bytes with their length.
    pub fn bytes(&mut self, value: &[u8]) {
        self.len(value.len());
        self.bytes.extend_from_slice(value);
    }

    /// A string.
    pub fn str(&mut self, value: &str) {
        self.bytes(value.as_bytes());
    }

    /// Any encodable value.
    pub fn put<T: Encode + ?Sized>(&mut self, value: &T) {
        value.encode(self);
    }
}

/// Reads values back from a byte slice (the memory-mapped cache file).
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads from the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(Corrupt("the cache ends early (truncated)"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Decoded<[u8; N]> {
        let slice = self.take(N)?;
        let mut out = [0; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Decoded<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self) -> Decoded<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// Eight bytes, little-endian.
    pub fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// An `f64` from its bits.
    pub fn f64(&mut self) -> Decoded<f64> {
        Ok(f64::from_bits(self.u64()?))
    }

    /// An `f32` from its bits.
    pub fn f32(&mut self) -> Decoded<f32> {
        Ok(f32::from_bits(self.u32()?))
    }

    /// A count of items each taking at least `min_bytes` in the file: refused when the rest of the file cannot hold
    /// them, so nothing is allocated from a damaged count.
    pub fn count(&mut self, min_bytes: usize) -> Decoded<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_bytes.max(1)) > self.bytes.len() {
            return Err(Corrupt("a count in the cache is larger than the file can hold"));
        }
        Ok(n)
    }

    /// Raw bytes with their length.
    pub fn bytes(&mut self) -> Decoded<&'a [u8]> {
        let n = self.count(1)?;
        self.take(n)
    }

    /// A string.
    pub fn str(&mut self) -> Decoded<&'a str> {
        std::str::from_utf8(self.bytes()?).map_err(|_| Corrupt("text in the cache is not UTF-8"))
    }

    /// Any decodable value.
    pub fn get<T: Decode>(&mut self) -> Decoded<T> {
        T::decode(self)
    }
}

/// Writes itself into the cache format.
pub trait Encode {
    /// Appends the value.
    fn encode(&self, w: &mut Writer);
}

/// Reads itself from the cache format.
pub trait Decode: Sized {
    /// The fewest bytes one value takes (bounds counts before allocating).
    const MIN_BYTES: usize = 1;
    /// Reads one value.
    fn decode(r: &mut Reader<'_>) -> Decoded<Self>;
}

macro_rules! number {
    ($t:ty, $put:ident, $bytes:expr) => {
        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                w.$put(*self);
            }
        }
        impl Decode for $t {
            const MIN_BYTES: usize = $bytes;
            fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
                r.$put()
            }
        }
    };
}
number!(u8, u8, 1);
number!(u16, u16, 2);
number!(u32, u32, 4);
number!(u64, u64, 8);
number!(f32, f32, 4);
number!(f64, f64, 8);

impl Encode for usize {
    fn encode(&self, w: &mut Writer) {
        w.u64(*self as u64);
    }
}

impl Decode for usize {
    const MIN_BYTES: usize = 8;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        usize::try_from(r.u64()?).map_err(|_| Corrupt("a number in the cache is too large"))
    }
}

impl Encode for bool {
    fn encode(&self, w: &mut Writer) {
        w.u8(u8::from(*self));
    }
}

impl Decode for bool {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Corrupt("a flag in the cache is neither 0 nor 1")),
        }
    }
}

impl Encode for str {
    fn encode(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl Encode for String {
    fn encode(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl Decode for String {
    const MIN_BYTES: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        r.str().map(str::to_string)
    }
}

impl Encode for PathBuf {
    fn encode(&self, w: &mut Writer) {
        // The path's own bytes (not a lossy string): a cached load names files exactly as a fresh one does.
        w.bytes(self.as_os_str().as_encoded_bytes());
    }
}

impl Decode for PathBuf {
    const MIN_BYTES: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let bytes = r.bytes()?;
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt as _;
            Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
        }
        #[cfg(not(unix))]
        {
            std::str::from_utf8(bytes)
                .map(PathBuf::from)
                .map_err(|_| Corrupt("a path in the cache is not UTF-8"))
        }
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Writer) {
        match self {
            None => w.u8(0),
            Some(value) => {
                w.u8(1);
                value.encode(w);
            }
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        match r.u8()? {
            0 => Ok(None),
            1 => T::decode(r).map(Some),
            _ => Err(Corrupt("an optional value in the cache has a bad tag")),
        }
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, w: &mut Writer) {
        w.len(self.len());
        for item in self {
            item.encode(w);
        }
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        self.as_slice().encode(w);
    }
}

impl<T: Decode> Decode for Vec<T> {
    const MIN_BYTES: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let n = r.count(T::MIN_BYTES)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(T::decode(r)?);
        }
        Ok(items)
    }
}

impl<A: Encode, B: Encode> Encode for (A, B) {
    fn encode(&self, w: &mut Writer) {
        self.0.encode(w);
        self.1.encode(w);
    }
}

impl<A: Decode, B: Decode> Decode for (A, B) {
    const MIN_BYTES: usize = A::MIN_BYTES + B::MIN_BYTES;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        Ok((A::decode(r)?, B::decode(r)?))
    }
}

impl<K: Encode, V: Encode> Encode for BTreeMap<K, V> {
    fn encode(&self, w: &mut Writer) {
        w.len(self.len());
        for (key, value) in self {
            key.encode(w);
            value.encode(w);
        }
    }
}

impl<K: Decode + Ord, V: Decode> Decode for BTreeMap<K, V> {
    const MIN_BYTES: usize = 4;
    fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
        let n = r.count(K::MIN_BYTES + V::MIN_BYTES)?;
        let mut pairs = Vec::with_capacity(n);
        for _ in 0..n {
            pairs.push((K::decode(r)?, V::decode(r)?));
        }
        // Written in key order, so a sound file is strictly ascending; anything else is damage (and a map built
        // from it would silently drop or reorder entries).
        if pairs.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(Corrupt("map keys in the cache are out of order"));
        }
        // Sorted input: the standard library builds the tree in one pass.
        Ok(pairs.into_iter().collect())
    }
}

/// Implements `Encode` and `Decode` for a struct field by field, in declaration order.
macro_rules! fields {
    ($t:ty { $($field:ident),* $(,)? }) => {
        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                let Self { $($field),* } = self;
                $( w.put($field); )*
            }
        }
        impl Decode for $t {
            fn decode(r: &mut Reader<'_>) -> Decoded<Self> {
                Ok(Self { $($field: r.get()?),* })
            }
        }
    };
}

pub(crate) use fields;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_bit_for_bit() {
        let mut w = Writer::default();
        let map: BTreeMap<u16, Vec<f64>> = [(1, vec![f64::NAN, -0.0, 1e300]), (7, vec![])].into();
        w.put(&map);
        w.put(&Some("Leeds 111B".to_string()));
        w.put(&PathBuf::from("/data/imd2019/File_1.csv"));
        let mut r = Reader::new(&w.bytes);
        let back: BTreeMap<u16, Vec<f64>> = r.get().unwrap();
        let bits = |m: &BTreeMap<u16, Vec<f64>>| -> Vec<(u16, Vec<u64>)> {
            m.iter()
                .map(|(k, v)| (*k, v.iter().map(|x| x.to_bits()).collect()))
                .collect()
        };
        assert_eq!(bits(&back), bits(&map));
        assert_eq!(r.get::<Option<String>>().unwrap().as_deref(), Some("Leeds 111B"));
        assert_eq!(r.get::<PathBuf>().unwrap(), PathBuf::from("/data/imd2019/File_1.csv"));
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn damaged_counts_and_truncation_are_errors_not_allocations() {
        let mut w = Writer::default();
        w.u32(u32::MAX); // "4 billion strings follow"
        assert!(Reader::new(&w.bytes).get::<Vec<String>>().is_err());
        let mut w = Writer::default();
        w.put(&vec![1u64, 2, 3]);
        for cut in 0..w.bytes.len() {
            assert!(Reader::new(&w.bytes[..cut]).get::<Vec<u64>>().is_err(), "cut at {cut}");
        }
        let mut w = Writer::default();
        w.put(&BTreeMap::from([(2u8, 0u8), (1, 0)]));
        // Swap the keys' order in the bytes: a map out of order is refused.
        let mut bytes = w.bytes.clone();
        bytes.swap(4, 6);
        assert!(Reader::new(&bytes).get::<BTreeMap<u8, u8>>().is_err());
    }
}
