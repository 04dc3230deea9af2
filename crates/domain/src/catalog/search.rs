//! Search: what a query box means, split the way product documents are indexed.
//!
//! The index (`atelier_product_document` in the catalogue migration) holds, per field, English
//! words stemmed by PostgreSQL's `english` configuration and runs of CJK characters as
//! overlapping two-character pieces. A query is split alike: Latin words become stemmed
//! prefix terms (`photographs` → `photograph:*`, which also finds `photography`), and a CJK
//! run becomes its bigrams, all of which must match (`撒哈拉` → `撒哈 & 哈拉`). Every term must
//! match somewhere in the fields searched.
//!
//! Terms reach PostgreSQL only as text made here from letters and digits, so nothing a user
//! types can change the meaning of the `tsquery`.

use super::product::{Product, ProductId};
use crate::Invalid;

/// The fields a search can be limited to, each a weight of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchField {
    /// The name (a book's title and original title).
    Title,
    /// A book's author and translator.
    Author,
    Tags,
    /// Descriptions, a book's introduction and sample content.
    Content,
}

impl SearchField {
    pub const ALL: &[SearchField] = &[Self::Title, Self::Author, Self::Tags, Self::Content];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Author => "author",
            Self::Tags => "tags",
            Self::Content => "content",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|field| field.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be `title`, `author`, `tags` or `content`"))
    }

    /// The index weight the field is stored under.
    fn weight(self) -> char {
        match self {
            Self::Title => 'A',
            Self::Author => 'B',
            Self::Tags => 'C',
            Self::Content => 'D',
        }
    }
}

/// One piece of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word of letters and digits outside CJK, lower-cased; matched stemmed, as a prefix.
    Word(String),
    /// A run of CJK characters; matched as its bigrams.
    Cjk(String),
}

/// A parsed query: its terms, and the fields to look in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub terms: Vec<Term>,
    pub fields: Vec<SearchField>,
}

/// The most terms a query may have; more are ignored.
pub const MAX_TERMS: usize = 10;
/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Whether `c` is written without spaces between words: Chinese, Japanese kana, Korean, as
/// the index's `atelier_cjk_bigrams` takes them.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}'
        | '\u{f900}'..='\u{faff}')
}

impl SearchQuery {
    /// Splits a query box's text into terms. `fields` empty means every field.
    pub fn parse(raw: &str, fields: &[SearchField]) -> Result<Self, Invalid> {
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {MAX_QUERY_CHARS} characters"
            )));
        }
        let mut terms: Vec<Term> = Vec::new();
        let mut current = String::new();
        let mut current_is_cjk = false;
        let flush = |current: &mut String, cjk: bool, terms: &mut Vec<Term>| {
            if !current.is_empty() {
                let term = if cjk {
                    Term::Cjk(std::mem::take(current))
                } else {
                    Term::Word(std::mem::take(current).to_lowercase())
                };
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        };
        for c in raw.chars() {
            let cjk = is_cjk(c);
            if cjk || c.is_alphanumeric() {
                if !current.is_empty() && cjk != current_is_cjk {
                    flush(&mut current, current_is_cjk, &mut terms);
                }
                current_is_cjk = cjk;
                current.push(c);
            } else {
                flush(&mut current, current_is_cjk, &mut terms);
            }
        }
        flush(&mut current, current_is_cjk, &mut terms);
        if terms.is_empty() {
            return Err(Invalid::new("must contain a letter or a digit"));
        }
        terms.truncate(MAX_TERMS);
        let mut fields = fields.to_vec();
        fields.sort_unstable();
        fields.dedup();
        if fields.is_empty() {
            fields = SearchField::ALL.to_vec();
        }
        Ok(Self { terms, fields })
    }

    /// The weights to match, as `tsquery` writes them (`AB`); empty for every field.
    fn weights(&self) -> String {
        if self.fields.len() == SearchField::ALL.len() {
            String::new()
        } else {
            self.fields.iter().map(|f| f.weight()).collect()
        }
    }

    /// The `tsquery` text of the Latin words, for `to_tsquery('english', …)`, which stems
    /// them: `photographs:*AB & studio:*AB`. `None` without Latin words.
    pub fn english_tsquery(&self) -> Option<String> {
        let weights = self.weights();
        let parts: Vec<String> = self
            .terms
            .iter()
            .filter_map(|term| match term {
                Term::Word(word) => Some(format!("{word}:*{weights}")),
                Term::Cjk(_) => None,
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join(" & "))
    }

    /// The `tsquery` text of the CJK runs, for `to_tsquery('simple', …)`: each run's bigrams,
    /// all required (`撒哈:AB & 哈拉:AB`); a one-character run as a prefix (`毛:*`), which
    /// finds the runs that start with it. `None` without CJK runs.
    pub fn cjk_tsquery(&self) -> Option<String> {
        let weights = self.weights();
        let mut parts: Vec<String> = Vec::new();
        for term in &self.terms {
            let Term::Cjk(run) = term else { continue };
            let chars: Vec<char> = run.chars().collect();
            if chars.len() == 1 {
                parts.push(format!("{}:*{weights}", chars[0]));
                continue;
            }
            for pair in chars.windows(2) {
                let bigram: String = pair.iter().collect();
                let part = format!("{bigram}:{weights}");
                if !parts.contains(&part) {
                    parts.push(part);
                }
            }
        }
        (!parts.is_empty()).then(|| parts.join(" & "))
    }

    /// Where the first term occurs in `text` (a byte range on character boundaries), ignoring
    /// case. Lower-casing may change a character's length in bytes, so matches are found in
    /// the lower-cased text and mapped back through the offsets of each character.
    fn first_match(&self, text: &str) -> Option<(usize, usize)> {
        let mut lower = String::with_capacity(text.len());
        // (where the character starts in `lower`, where it starts in `text`)
        let mut offsets = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            offsets.push((lower.len(), at));
            lower.extend(c.to_lowercase());
        }
        let in_text = |lower_at: usize, round_up: bool| -> usize {
            match offsets.binary_search_by_key(&lower_at, |(l, _)| *l) {
                Ok(i) => offsets[i].1,
                Err(i) if round_up => offsets.get(i).map_or(text.len(), |(_, t)| *t),
                Err(i) => offsets[i.saturating_sub(1)].1,
            }
        };
        self.terms
            .iter()
            .filter_map(|term| {
                let needle = match term {
                    Term::Word(word) => stem_prefix(word),
                    Term::Cjk(run) => run.as_str(),
                };
                if needle.is_empty() {
                    return None;
                }
                let at = lower.find(needle)?;
                Some((in_text(at, false), in_text(at + needle.len(), true)))
            })
            .min()
    }

    /// A piece of `text` of about `width` characters around the first place a term occurs,
    /// HTML-escaped, with every occurrence of a term in it marked `<mark>…</mark>`. `None`
    /// when no term occurs in `text`.
    pub fn snippet(&self, text: &str, width: usize) -> Option<String> {
        let (start, _) = self.first_match(text)?;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = chars.iter().position(|(i, _)| *i >= start).unwrap_or(0);
        let from = at.saturating_sub(width / 3);
        let to = (from + width).min(chars.len());
        let piece: String = chars[from..to].iter().map(|(_, c)| c).collect();
        let mut out = String::new();
        if from > 0 {
            out.push('…');
        }
        out.push_str(&self.mark(&piece));
        if to < chars.len() {
            out.push('…');
        }
        Some(out)
    }

    /// `text` HTML-escaped with every occurrence of a term marked.
    fn mark(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some((start, end)) = self.first_match(rest) {
            out.push_str(&escape(&rest[..start]));
            out.push_str("<mark>");
            out.push_str(&escape(&rest[start..end]));
            out.push_str("</mark>");
            rest = &rest[end..];
        }
        out.push_str(&escape(rest));
        out
    }
}

/// A product that matched, with how well.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchHit {
    pub product: Product,
    /// Higher is better; only comparable within one search.
    pub rank: f32,
}

/// Where a page of results ends: the rank of the last hit and its id (results are ordered by
/// rank, best first, then by id).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchKey {
    pub rank: f32,
    pub id: ProductId,
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchResults {
    pub hits: crate::pagination::Page<SearchHit>,
    /// How many products match: all of them when `total_is_exact`, else at least this many.
    pub total: i64,
    /// False when more products match than a search ranks (its candidate limit): then the
    /// results are the best of the first matches found, and `total` is that limit.
    pub total_is_exact: bool,
}

/// How many products match, from the number of candidates found when looking for at most
/// `limit + 1`: exact up to `limit`, else "at least `limit`".
pub fn total_of_candidates(found: i64, limit: i64) -> (i64, bool) {
    if found > limit {
        (limit, false)
    } else {
        (found, true)
    }
}

impl SearchQuery {
    /// A snippet of the first of a product's texts that holds a term: its name, description,
    /// a book's introduction or sample content, the detailed description.
    pub fn product_snippet(&self, product: &Product, width: usize) -> Option<String> {
        let attribute = |key: &str| product.attributes.get(key).and_then(|v| v.as_str());
        [
            Some(product.name.as_str()),
            attribute("author"),
            Some(product.description.as_str()),
            attribute("book_intro"),
            attribute("content"),
            Some(product.detailed_description.as_str()),
        ]
        .into_iter()
        .flatten()
        .find_map(|text| self.snippet(text, width))
    }
}

/// What is left of an English word when its usual endings are cut, so that the highlight of
/// `photographs` finds `photography` too (as the stemmed search did).
fn stem_prefix(word: &str) -> &str {
    const ENDINGS: &[&str] = &["ing", "ies", "es", "ed", "s", "y"];
    let cut = ENDINGS
        .iter()
        .find_map(|ending| word.strip_suffix(ending))
        .filter(|stem| stem.chars().count() >= 3);
    cut.unwrap_or(word)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn query(raw: &str) -> SearchQuery {
        SearchQuery::parse(raw, &[]).unwrap()
    }

    #[test]
    fn latin_words_and_cjk_runs_are_split_apart() {
        assert_eq!(
            query("三毛 Photographs《撒哈拉》x2").terms,
            [
                Term::Cjk("三毛".into()),
                Term::Word("photographs".into()),
                Term::Cjk("撒哈拉".into()),
                Term::Word("x2".into()),
            ]
        );
        assert!(SearchQuery::parse("  ,. !", &[]).is_err());
        assert!(SearchQuery::parse(&"x".repeat(201), &[]).is_err());
    }

    #[test]
    fn tsqueries_are_stemmed_prefixes_and_bigrams() {
        let q = query("photographs 撒哈拉 毛");
        assert_eq!(q.english_tsquery().as_deref(), Some("photographs:*"));
        assert_eq!(q.cjk_tsquery().as_deref(), Some("撒哈: & 哈拉: & 毛:*"));
        let two = query("三毛");
        assert_eq!(two.english_tsquery(), None);
        assert_eq!(two.cjk_tsquery().as_deref(), Some("三毛:"));
    }

    #[test]
    fn fields_become_weights() {
        let q = SearchQuery::parse(
            "sahara 三毛",
            &[SearchField::Author, SearchField::Title, SearchField::Author],
        )
        .unwrap();
        assert_eq!(q.fields, [SearchField::Title, SearchField::Author]);
        assert_eq!(q.english_tsquery().as_deref(), Some("sahara:*AB"));
        assert_eq!(q.cjk_tsquery().as_deref(), Some("三毛:AB"));
        assert_eq!(SearchField::parse("content"), Ok(SearchField::Content));
        assert!(SearchField::parse("isbn").is_err());
    }

    #[test]
    fn totals_are_exact_up_to_the_candidate_limit() {
        assert_eq!(total_of_candidates(0, 3), (0, true));
        assert_eq!(total_of_candidates(3, 3), (3, true));
        assert_eq!(total_of_candidates(4, 3), (3, false));
    }

    #[test]
    fn snippets_mark_the_terms_and_escape_the_rest() {
        let q = query("photographs 故事");
        let text = "A <b>book</b> of Photography and 故事 from the desert.";
        assert_eq!(
            q.snippet(text, 200).unwrap(),
            "A &lt;b&gt;book&lt;/b&gt; of <mark>Photograph</mark>y and <mark>故事</mark> from the desert."
        );
        let long = format!("{}故事{}", "前".repeat(100), "后".repeat(100));
        let snippet = q.snippet(&long, 30).unwrap();
        assert!(
            snippet.starts_with('…') && snippet.ends_with('…'),
            "{snippet}"
        );
        assert!(snippet.contains("<mark>故事</mark>"), "{snippet}");
        assert_eq!(q.snippet("nothing here", 30), None);
    }

    #[test]
    fn matches_are_found_where_lower_casing_changes_byte_lengths() {
        // K (the Kelvin sign, 3 bytes) lower-cases to k (1 byte), Ⱥ (2 bytes) to ⱥ (3 bytes):
        // the lengths even out, the positions do not.
        let text = "\u{212A}故事ȺȺ";
        let query = SearchQuery::parse("故事", &[]).unwrap();
        assert_eq!(
            query.snippet(text, 40).as_deref(),
            Some("\u{212A}<mark>故事</mark>ȺȺ")
        );
        let query = SearchQuery::parse("ⱥ", &[]).unwrap();
        assert_eq!(
            query.snippet("\u{212A}Ⱥ", 40).as_deref(),
            Some("\u{212A}<mark>Ⱥ</mark>")
        );
    }

    proptest! {
        #[test]
        fn tsqueries_hold_only_letters_digits_and_operators(raw in "\\PC{1,60}") {
            if let Ok(q) = SearchQuery::parse(&raw, &[]) {
                for text in [q.english_tsquery(), q.cjk_tsquery()].into_iter().flatten() {
                    prop_assert!(
                        text.chars().all(|c| c.is_alphanumeric() || is_cjk(c)
                            || matches!(c, ' ' | '&' | ':' | '*' | 'A'..='D')),
                        "{}", text
                    );
                }
            }
        }

        #[test]
        fn snippets_never_split_a_character(raw in "[a-z故事 ]{1,20}", text in "\\PC{0,300}") {
            if let Ok(q) = SearchQuery::parse(&raw, &[]) {
                let _ = q.snippet(&text, 40);
            }
        }
    }
}
