//! IP address literals, read exactly as the standard library reads them (the `FromStr` of
//! `Ipv4Addr` and `Ipv6Addr`: decimal octets without leading zeros, hex groups of one to four
//! digits, one `::`, an embedded IPv4 address only as the last two groups, no zone). std's
//! generic parser is about 1.5 KB of the SDK's gzipped `.wasm`; this one, the same algorithm
//! without the generics and closures, is a fraction of it. A native test holds the two to the
//! same answer on every input of a large corpus.

use core::net::{Ipv4Addr, Ipv6Addr};

/// A position in the input; a failed read puts it back where it was.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Reads `byte` when it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.at += 1;
        }
        next
    }

    /// Reads `byte` unless this is the first item (`index` 0) of a list it separates.
    fn separator(&mut self, byte: u8, index: usize) -> bool {
        index == 0 || self.eat(byte)
    }

    /// One to `max` digits in `radix`; with `zero_prefix` false, a number of several digits
    /// must not start with `0`.
    fn number(&mut self, radix: u32, max: usize, zero_prefix: bool) -> Option<u32> {
        let start = self.at;
        let mut n = 0;
        while let Some(digit) = self.peek().and_then(|b| char::from(b).to_digit(radix)) {
            n = n * radix + digit;
            self.at += 1;
            if self.at - start > max {
                self.at = start;
                return None;
            }
        }
        let count = self.at - start;
        if count == 0 || (!zero_prefix && count > 1 && self.bytes.get(start) == Some(&b'0')) {
            self.at = start;
            return None;
        }
        Some(n)
    }

    /// A dotted quad, or nothing read.
    fn ipv4(&mut self) -> Option<[u8; 4]> {
        let start = self.at;
        let mut octets = [0; 4];
        for (i, octet) in octets.iter_mut().enumerate() {
            let read = if self.separator(b'.', i) {
                self.number(10, 3, false).and_then(|n| u8::try_from(n).ok())
            } else {
                None
            };
            match read {
                Some(n) => *octet = n,
                None => {
                    self.at = start;
                    return None;
                }
            }
        }
        Some(octets)
    }

    /// Colon-separated hex groups into `groups`, the last two of them possibly an embedded
    /// IPv4 address: how many were read, and whether they ended with an IPv4 address.
    fn groups(&mut self, groups: &mut [u16]) -> (usize, bool) {
        let limit = groups.len();
        for i in 0..limit {
            // An embedded IPv4 address needs two groups.
            if i + 1 < limit {
                let start = self.at;
                if let Some([a, b, c, d]) = self.separator(b':', i).then(|| self.ipv4()).flatten() {
                    groups[i] = u16::from_be_bytes([a, b]);
                    groups[i + 1] = u16::from_be_bytes([c, d]);
                    return (i + 2, true);
                }
                self.at = start;
            }
            let start = self.at;
            match self
                .separator(b':', i)
                .then(|| self.number(16, 4, true))
                .flatten()
            {
                // At most four hex digits: it fits.
                Some(group) => groups[i] = group as u16,
                None => {
                    self.at = start;
                    return (i, false);
                }
            }
        }
        (limit, false)
    }

    /// Eight groups, or fewer around one `::`.
    fn ipv6(&mut self) -> Option<[u16; 8]> {
        let mut head = [0; 8];
        let (head_size, head_ipv4) = self.groups(&mut head);
        if head_size == 8 {
            return Some(head);
        }
        // An IPv4 address only at the end, and `::` stands for at least one group.
        if head_ipv4 || !(self.eat(b':') && self.eat(b':')) {
            return None;
        }
        let mut tail = [0; 7];
        let (tail_size, _) = self.groups(&mut tail[..7 - head_size]);
        for (slot, group) in head[8 - tail_size..].iter_mut().zip(tail) {
            *slot = group;
        }
        Some(head)
    }
}

/// `raw` as an IPv4 address, as `raw.parse::<Ipv4Addr>().ok()` reads it.
#[must_use]
pub fn parse_ipv4(raw: &str) -> Option<Ipv4Addr> {
    let mut cursor = Cursor {
        bytes: raw.as_bytes(),
        at: 0,
    };
    let octets = cursor.ipv4()?;
    (cursor.at == raw.len()).then(|| Ipv4Addr::from(octets))
}

/// `raw` as an IPv6 address, as `raw.parse::<Ipv6Addr>().ok()` reads it.
#[must_use]
pub fn parse_ipv6(raw: &str) -> Option<Ipv6Addr> {
    let mut cursor = Cursor {
        bytes: raw.as_bytes(),
        at: 0,
    };
    let groups = cursor.ipv6()?;
    (cursor.at == raw.len()).then(|| Ipv6Addr::from(groups))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of `alphabet` up to `max_len` characters.
    fn every_string(alphabet: &[&str], max_len: usize, check: &mut impl FnMut(&str)) {
        let mut current = vec![String::new()];
        for _ in 0..=max_len {
            let mut next = Vec::new();
            for s in &current {
                check(s);
                for a in alphabet {
                    next.push(s.clone() + a);
                }
            }
            current = next;
        }
    }

    fn same_as_std(raw: &str) {
        assert_eq!(parse_ipv4(raw), raw.parse().ok(), "IPv4 {raw:?}");
        assert_eq!(parse_ipv6(raw), raw.parse().ok(), "IPv6 {raw:?}");
    }

    #[test]
    fn every_short_string_reads_as_std_reads_it() {
        every_string(&["0", "1", "2", "5", "9", "."], 8, &mut same_as_std);
        every_string(&["0", "1", "f", "G", ":", "."], 7, &mut same_as_std);
    }

    #[test]
    fn composed_strings_read_as_std_reads_them() {
        let tokens = [
            "::",
            ":",
            ".",
            "0",
            "1",
            "00",
            "01",
            "10",
            "255",
            "256",
            "999",
            "0000",
            "ffff",
            "FFFF",
            "fffff",
            "12345",
            "a",
            "g",
            "1.2.3.4",
            "255.255.255.255",
            "256.1.1.1",
            "01.1.1.1",
            "1.2.3",
            "%",
            "]",
            " ",
        ];
        // A fixed linear congruential sequence: the same corpus on every run.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        for _ in 0..300_000 {
            let mut raw = String::new();
            for _ in 0..=next(12) {
                raw.push_str(tokens[next(tokens.len())]);
            }
            same_as_std(&raw);
        }
    }

    #[test]
    fn known_addresses() {
        for raw in [
            "0.0.0.0",
            "127.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "::ffff:127.0.0.1",
            "64:ff9b::192.0.2.33",
            "1:2:3:4:5:6:1.2.3.4",
            "2606:4700::1",
            "fe80::1",
        ] {
            same_as_std(raw);
            assert!(
                parse_ipv4(raw).is_some() || parse_ipv6(raw).is_some(),
                "{raw}"
            );
        }
        for raw in [
            "1.2.3.4::",
            "1:2:3:4:5:6::1.2.3.4",
            "::1.2.3.4:5",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "0177.0.0.1",
            "127.1",
            "[::1]",
            "fe80::1%eth0",
        ] {
            same_as_std(raw);
            assert!(
                parse_ipv4(raw).is_none() && parse_ipv6(raw).is_none(),
                "{raw}"
            );
        }
    }
}
