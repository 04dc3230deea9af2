//! What the benchmark searches for: a mix of the queries a bookshop's search box gets, made
//! from the catalogue's own vocabulary and products, so each run asks the same.

use super::data::{Generator, Rng};

/// A kind of query, for the breakdown of the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryClass {
    /// A rarer English word: in few products.
    RareEnglish,
    /// A rarer Chinese word of two or three characters.
    RareChinese,
    /// One of the most common two-character Chinese words: in many products.
    CommonChinese,
    /// One of the most common English words: in many products.
    CommonEnglish,
    /// An author's name.
    Author,
    /// Two words of a product's title.
    TitleWords,
    /// A word in the title or an author in the author field only (`fields=`).
    Scoped,
}

impl QueryClass {
    /// Each class and its share of the mix, in percent.
    pub const MIX: &[(QueryClass, u32)] = &[
        (Self::RareEnglish, 25),
        (Self::RareChinese, 20),
        (Self::CommonChinese, 10),
        (Self::CommonEnglish, 5),
        (Self::Author, 15),
        (Self::TitleWords, 15),
        (Self::Scoped, 10),
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::RareEnglish => "rare English word",
            Self::RareChinese => "rare Chinese word",
            Self::CommonChinese => "common 2-char Chinese",
            Self::CommonEnglish => "common English word",
            Self::Author => "author name",
            Self::TitleWords => "two title words",
            Self::Scoped => "fields=title|author",
        }
    }
}

/// One search: `q`, and `fields` when limited.
#[derive(Debug, Clone)]
pub struct Query {
    pub class: QueryClass,
    pub q: String,
    pub fields: Option<&'static str>,
}

/// `count` queries of the mix, the same for the same seed and catalogue size.
pub fn mix(generator: &Generator, seed: u64, products: u64, count: usize) -> Vec<Query> {
    let v = &generator.vocabulary;
    let total: u32 = QueryClass::MIX.iter().map(|(_, share)| share).sum();
    (0..count)
        .map(|i| {
            let mut rng = Rng::for_item(seed, 3, i as u64);
            let mut roll = u32::try_from(rng.below(total as usize)).unwrap_or(0);
            let class = QueryClass::MIX
                .iter()
                .find(|(_, share)| {
                    let hit = roll < *share;
                    roll = roll.saturating_sub(*share);
                    hit
                })
                .map_or(QueryClass::RareEnglish, |(class, _)| *class);
            let (q, fields) = match class {
                QueryClass::RareEnglish => (v.en.rare(&mut rng, 300).to_owned(), None),
                QueryClass::RareChinese => (v.zh.rare(&mut rng, 200).to_owned(), None),
                QueryClass::CommonChinese => {
                    let word = loop {
                        let word = v.zh.common(&mut rng, 60);
                        if word.chars().count() == 2 {
                            break word;
                        }
                    };
                    (word.to_owned(), None)
                }
                QueryClass::CommonEnglish => (v.en.common(&mut rng, 30).to_owned(), None),
                QueryClass::Author => {
                    let zh = rng.chance(0.6);
                    (v.author(&mut rng, zh).to_owned(), None)
                }
                QueryClass::TitleWords => {
                    let product = generator.product(rng.below(products as usize) as u64, products);
                    (title_words(&product.name, &mut rng), None)
                }
                QueryClass::Scoped => {
                    if rng.chance(0.5) {
                        let zh = rng.chance(0.5);
                        (v.author(&mut rng, zh).to_owned(), Some("author"))
                    } else if rng.chance(0.5) {
                        (v.en.rare(&mut rng, 100).to_owned(), Some("title"))
                    } else {
                        (v.zh.rare(&mut rng, 100).to_owned(), Some("title"))
                    }
                }
            };
            Query { class, q, fields }
        })
        .collect()
}

/// Two words of an English title, or four characters of a Chinese one, as someone who half
/// remembers it would type them.
fn title_words(title: &str, rng: &mut Rng) -> String {
    const SMALL: &[&str] = &["the", "of", "and", "a"];
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !SMALL.contains(&w.to_lowercase().as_str()))
        .collect();
    if words.iter().all(|w| w.is_ascii()) && words.len() >= 2 {
        let first = rng.below(words.len() - 1);
        return format!("{} {}", words[first], words[first + 1]).to_lowercase();
    }
    let chars: Vec<char> = title.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.len() <= 4 {
        return chars.into_iter().collect();
    }
    let from = rng.below(chars.len() - 3);
    chars[from..from + 4].iter().collect()
}
