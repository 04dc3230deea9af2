//! Searching text for a part of it with `LIKE` / `ILIKE`.

/// The pattern that matches any text containing `term`: its `%`, `_` and `\` match themselves.
pub(crate) fn containing(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::containing("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
