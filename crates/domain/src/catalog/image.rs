//! Product images: which files are accepted (a JPEG, PNG, WebP or GIF image, recognised by its
//! first bytes, within a size limit), what is read from them (the pixel size, when the header
//! says it), and the texts that go with them.

use chrono::{DateTime, Utc};

use super::product::ProductId;
use crate::Invalid;
use crate::media::MediaKey;

pub type ImageId = i64;

/// The image formats accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl ImageFormat {
    pub const ALL: &[ImageFormat] = &[Self::Jpeg, Self::Png, Self::Webp, Self::Gif];

    /// The media type, as stored and served.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    /// The file name extension a file of this format is stored with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    /// The format a media type names (ignoring case and parameters; `image/jpg` and
    /// `image/pjpeg` are taken for JPEG, as some clients send them).
    pub fn from_mime(raw: &str) -> Option<Self> {
        let essence = raw.split(';').next().unwrap_or_default().trim();
        match essence.to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Self::Jpeg),
            "image/png" => Some(Self::Png),
            "image/webp" => Some(Self::Webp),
            "image/gif" => Some(Self::Gif),
            _ => None,
        }
    }

    /// The format the bytes are in, told by their signature ("magic bytes").
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }
}

/// An image's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimensions {
    pub width: u32,
    pub height: u32,
}

impl Dimensions {
    /// The size an image's header states, when it can be read from the first bytes: a PNG's
    /// IHDR, a GIF's screen descriptor, a WebP's VP8/VP8L/VP8X header, a JPEG's start of frame.
    /// `None` for a header this does not understand (the image is still accepted).
    pub fn read(format: ImageFormat, bytes: &[u8]) -> Option<Self> {
        let found = match format {
            ImageFormat::Png => (bytes.get(12..16) == Some(b"IHDR".as_slice()))
                .then(|| Some((be32(bytes, 16)?, be32(bytes, 20)?)))
                .flatten(),
            ImageFormat::Gif => Some((u32::from(le16(bytes, 6)?), u32::from(le16(bytes, 8)?))),
            ImageFormat::Webp => webp(bytes),
            ImageFormat::Jpeg => jpeg(bytes),
        };
        found
            .filter(|&(width, height)| width > 0 && height > 0)
            .map(|(width, height)| Self { width, height })
    }
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn le24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from(b[0]) | (u32::from(b[1]) << 8) | (u32::from(b[2]) << 16))
}

fn webp(bytes: &[u8]) -> Option<(u32, u32)> {
    match bytes.get(12..16)? {
        // Lossy: a key frame's start code, then 14-bit width and height.
        b"VP8 " if bytes.get(23..26)? == [0x9D, 0x01, 0x2A] => Some((
            u32::from(le16(bytes, 26)? & 0x3FFF),
            u32::from(le16(bytes, 28)? & 0x3FFF),
        )),
        // Lossless: a signature byte, then width - 1 and height - 1 in 14 bits each.
        b"VP8L" if *bytes.get(20)? == 0x2F => {
            let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        // Extended: the canvas, width - 1 and height - 1 in 24 bits each.
        b"VP8X" => Some((le24(bytes, 24)? + 1, le24(bytes, 27)? + 1)),
        _ => None,
    }
}

fn jpeg(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        // Fill bytes may precede a marker.
        while *bytes.get(at + 1)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Markers without a length: TEM, RSTn.
            0x01 | 0xD0..=0xD7 => at += 2,
            // Start of scan or end of image before any frame header: none to read.
            0xD9 | 0xDA => return None,
            // Start of frame (not DHT, JPG, DAC): precision, height, width.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some((
                    u32::from(be16(bytes, at + 7)?),
                    u32::from(be16(bytes, at + 5)?),
                ));
            }
            _ => at += 2 + usize::from(be16(bytes, at + 2)?),
        }
    }
}

/// Files larger than this are refused unless configured otherwise: 10 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// What an upload may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImagePolicy {
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for ImagePolicy {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Why an uploaded file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit of {max} bytes")]
    TooLarge { max: u64 },
    /// Neither a JPEG, PNG, WebP nor GIF image, whatever it was declared to be.
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    UnsupportedType,
}

/// An upload that passed the policy, and what was read from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedImage {
    /// The format of the bytes (which is what is stored, whatever the client declared).
    pub format: ImageFormat,
    pub byte_size: u64,
    pub dimensions: Option<Dimensions>,
}

impl ImagePolicy {
    /// Checks an upload: not empty, within the size limit, declared (if at all) as an accepted
    /// image type or as `application/octet-stream`, and recognised as an accepted format by its
    /// first bytes. The recognised format is the file's type: a PNG declared as `image/jpeg`
    /// is a PNG; a text file named `.png` is refused.
    pub fn check(
        &self,
        declared: Option<&str>,
        bytes: &[u8],
    ) -> Result<CheckedImage, ImageRejection> {
        let byte_size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if byte_size == 0 {
            return Err(ImageRejection::Empty);
        }
        if byte_size > self.max_bytes {
            return Err(ImageRejection::TooLarge {
                max: self.max_bytes,
            });
        }
        let declared_ok = declared.is_none_or(|raw| {
            ImageFormat::from_mime(raw).is_some()
                || raw
                    .split(';')
                    .next()
                    .is_some_and(|essence| essence.trim() == "application/octet-stream")
        });
        let format = ImageFormat::sniff(bytes)
            .filter(|_| declared_ok)
            .ok_or(ImageRejection::UnsupportedType)?;
        Ok(CheckedImage {
            format,
            byte_size,
            dimensions: Dimensions::read(format, bytes),
        })
    }
}

/// One image of a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductImage {
    pub id: ImageId,
    pub product_id: ProductId,
    pub key: MediaKey,
    pub format: ImageFormat,
    pub byte_size: i64,
    pub dimensions: Option<Dimensions>,
    pub alt_text: String,
    /// Images are shown by this, lowest first.
    pub display_order: i32,
    /// The image that stands for the product in lists; exactly one of a product's images is.
    pub is_primary: bool,
    pub created_at: DateTime<Utc>,
}

/// The longest alternative text, in characters.
pub const ALT_TEXT_MAX: usize = 300;

/// A description of the image for those who cannot see it: trimmed, at most 300 characters,
/// one line; may be empty.
pub fn parse_alt_text(raw: &str) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    if trimmed.chars().count() > ALT_TEXT_MAX {
        Err(Invalid::new(format!(
            "must be at most {ALT_TEXT_MAX} characters"
        )))
    } else if trimmed.chars().any(char::is_control) {
        Err(Invalid::new("must be one line without control characters"))
    } else {
        Ok(trimmed.to_owned())
    }
}

/// The key a new image of `product` is stored under: `products/<id>/<token>.<extension>`,
/// where `token` is random (lower-case hex) so keys are never reused.
pub fn image_key(
    product: ProductId,
    token: &str,
    format: ImageFormat,
) -> Result<MediaKey, Invalid> {
    MediaKey::parse(&format!(
        "products/{product}/{token}.{}",
        format.extension()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG, a 3×2 GIF, a 1×1 lossy WebP and a 16×8 JPEG's header.
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb0\0\0\0\0IEND\xaeB`\x82";
    const GIF: &[u8] = b"GIF89a\x03\x00\x02\x00\x00\x00\x00;";
    const WEBP_LOSSY: &[u8] =
        b"RIFF\x1a\0\0\0WEBPVP8 \x0e\0\0\0\x30\x01\x00\x9d\x01\x2a\x01\x00\x01\x00\x00\x00";
    const JPEG: &[u8] = &[
        0xFF, 0xD8, // SOI
        0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, // APP0, length 4
        0xFF, 0xFF, // a fill byte
        0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00, // SOF0 8×16
        0xFF, 0xD9, // EOI
    ];

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(ImageFormat::sniff(PNG), Some(ImageFormat::Png));
        assert_eq!(ImageFormat::sniff(GIF), Some(ImageFormat::Gif));
        assert_eq!(ImageFormat::sniff(WEBP_LOSSY), Some(ImageFormat::Webp));
        assert_eq!(ImageFormat::sniff(JPEG), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::sniff(b"hello, I am text"), None);
        assert_eq!(
            ImageFormat::sniff(b"RIFF\0\0\0\0WAVEfmt "),
            None,
            "a WAV file"
        );
        assert_eq!(ImageFormat::sniff(b"<svg xmlns=\"...\"/>"), None);
        assert_eq!(ImageFormat::sniff(&[0xFF, 0xD8]), None, "too short");
        assert_eq!(ImageFormat::sniff(b""), None);
    }

    #[test]
    fn sizes_are_read_from_the_headers() {
        let size = |format, bytes| Dimensions::read(format, bytes).map(|d| (d.width, d.height));
        assert_eq!(size(ImageFormat::Png, PNG), Some((1, 1)));
        assert_eq!(size(ImageFormat::Gif, GIF), Some((3, 2)));
        assert_eq!(size(ImageFormat::Webp, WEBP_LOSSY), Some((1, 1)));
        assert_eq!(size(ImageFormat::Jpeg, JPEG), Some((16, 8)));
        let lossless = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f\x63\xc0\x04\x00";
        let bits = u32::from_le_bytes([0x63, 0xc0, 0x04, 0x00]);
        assert_eq!(
            size(ImageFormat::Webp, lossless),
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        );
        let extended = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x10\0\0\0\x1f\x03\0\xdf\x01\0";
        assert_eq!(size(ImageFormat::Webp, extended), Some((800, 480)));
        // Cut short or unknown: no size, no panic.
        for cut in 0..PNG.len().min(24) {
            assert_eq!(size(ImageFormat::Png, &PNG[..cut]), None);
        }
        for cut in 0..JPEG.len() - 4 {
            let _ = size(ImageFormat::Jpeg, &JPEG[..cut]);
        }
        assert_eq!(size(ImageFormat::Jpeg, &[0xFF, 0xD8, 0xFF, 0xDA]), None);
    }

    #[test]
    fn the_policy_checks_size_then_type_by_content() {
        let policy = ImagePolicy { max_bytes: 100 };
        let checked = policy.check(Some("image/png"), PNG).unwrap();
        assert_eq!(checked.format, ImageFormat::Png);
        assert_eq!(checked.byte_size, PNG.len() as u64);
        assert_eq!(
            checked.dimensions,
            Some(Dimensions {
                width: 1,
                height: 1
            })
        );
        // The content decides: a PNG declared as a JPEG is a PNG; no declaration is fine.
        assert_eq!(
            policy.check(Some("image/jpeg"), PNG).unwrap().format,
            ImageFormat::Png
        );
        assert_eq!(policy.check(None, GIF).unwrap().format, ImageFormat::Gif);
        assert_eq!(
            policy
                .check(Some("application/octet-stream"), JPEG)
                .unwrap()
                .format,
            ImageFormat::Jpeg
        );
        // A text file named .png, or declared as text.
        assert_eq!(
            policy.check(Some("image/png"), b"not an image"),
            Err(ImageRejection::UnsupportedType)
        );
        assert_eq!(
            policy.check(Some("text/plain"), PNG),
            Err(ImageRejection::UnsupportedType)
        );
        assert_eq!(
            policy.check(Some("image/svg+xml"), b"<svg/>"),
            Err(ImageRejection::UnsupportedType)
        );
        assert_eq!(policy.check(None, b""), Err(ImageRejection::Empty));
    }

    #[test]
    fn the_limit_is_inclusive() {
        let mut at_limit = PNG.to_vec();
        at_limit.resize(100, 0);
        let policy = ImagePolicy { max_bytes: 100 };
        assert!(policy.check(None, &at_limit).is_ok());
        at_limit.push(0);
        assert_eq!(
            policy.check(None, &at_limit),
            Err(ImageRejection::TooLarge { max: 100 })
        );
        assert_eq!(ImagePolicy::default().max_bytes, 10 * 1024 * 1024);
    }

    #[test]
    fn media_types_are_recognised_loosely() {
        assert_eq!(
            ImageFormat::from_mime("IMAGE/JPEG; q=1"),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(ImageFormat::from_mime("image/jpg"), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::from_mime("image/bmp"), None);
        for &format in ImageFormat::ALL {
            assert_eq!(ImageFormat::from_mime(format.mime()), Some(format));
        }
    }

    #[test]
    fn alt_texts_and_keys() {
        assert_eq!(parse_alt_text("  红色相框 ").unwrap(), "红色相框");
        assert!(parse_alt_text(&"字".repeat(ALT_TEXT_MAX)).is_ok());
        assert!(parse_alt_text(&"字".repeat(ALT_TEXT_MAX + 1)).is_err());
        assert!(parse_alt_text("two\nlines").is_err());
        let key = image_key(42, "0a1b2c", ImageFormat::Webp).unwrap();
        assert_eq!(key.as_str(), "products/42/0a1b2c.webp");
    }
}
