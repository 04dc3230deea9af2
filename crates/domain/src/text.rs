//! Free text as people type it: trimmed, and bounded in characters (not bytes).

use crate::Invalid;

/// Text that must not be empty: 1 to `max` characters after trimming.
pub fn required(raw: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    match trimmed.chars().count() {
        0 => Err(Invalid::new("must not be empty")),
        n if n > max => Err(Invalid::new(format!("must be at most {max} characters"))),
        _ => Ok(trimmed.to_owned()),
    }
}

/// Text that may be empty: at most `max` characters after trimming.
pub fn optional(raw: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    if trimmed.chars().count() > max {
        Err(Invalid::new(format!("must be at most {max} characters")))
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_counted_in_characters() {
        assert_eq!(required(" 三毛 ", 2).unwrap(), "三毛");
        assert!(required("   ", 5).is_err());
        assert!(required("三毛书", 2).is_err());
        assert_eq!(optional("  ", 2).unwrap(), "");
        assert!(optional("abc", 2).is_err());
    }
}
