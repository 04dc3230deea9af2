//! Media: files (product images ...) kept outside the database, each under a key.

use crate::Invalid;

/// Where a media store keeps a file: `/`-separated segments of lower-case ASCII letters,
/// digits, `.`, `_` and `-`, none empty or starting with `.` (so neither `..` nor a hidden
/// file), 1 to 200 characters. A key is used once: what is stored under it never changes, so
/// its URL may be cached for ever.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct MediaKey(String);

pub const KEY_MAX: usize = 200;

impl MediaKey {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let segment_ok = |segment: &str| {
            !segment.is_empty()
                && !segment.starts_with('.')
                && segment.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
                })
        };
        if raw.len() <= KEY_MAX && raw.split('/').all(segment_ok) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "must be `/`-separated segments of a-z, 0-9, `.`, `_` and `-`, none empty or \
                 starting with `.`, at most 200 characters",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The segments of the key, in order.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl std::fmt::Display for MediaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_plain_relative_paths() {
        for good in ["a", "products/7/0f3a.jpg", "x_y-z.webp", "a/b/c"] {
            assert_eq!(MediaKey::parse(good).unwrap().as_str(), good);
        }
        let long = "a".repeat(KEY_MAX + 1);
        for bad in [
            "",
            "/abs",
            "trailing/",
            "a//b",
            "../etc/passwd",
            "a/../b",
            ".hidden",
            "a/.tmp",
            "Upper.jpg",
            "sp ace",
            "back\\slash",
            "百.jpg",
            long.as_str(),
        ] {
            assert!(MediaKey::parse(bad).is_err(), "{bad:?}");
        }
    }
}
