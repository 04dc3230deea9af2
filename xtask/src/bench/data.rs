//! The benchmark's catalogue: products made from a seed, the same on every machine.
//!
//! Words are drawn with Zipf-like frequencies (the word of rank r about 1/r as often as the
//! most common one) from a few thousand English words and a few thousand Chinese words, so a
//! few words are in many products and most in few, as in a real catalogue. A product is a
//! pure function of the seed and its number, so queries can be made from products too.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

/// Bumped whenever what [`Generator`] makes changes, so a stored catalogue made by an older
/// one is made again.
pub const GENERATOR_VERSION: i64 = 1;

const WORDS_EN: &str = include_str!("words_en.txt");
const WORDS_ZH: &str = include_str!("words_zh.txt");
const CHARS_ZH: &str = include_str!("chars_zh.txt");

const SURNAMES_ZH: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN_ZH: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞志文斌宇浩凯婷雪琳晨阳欣怡佳悦思远嘉乐子轩梓涵一诺雨萱博文天佑俊杰宏伟晓东春生秋实海燕建国卫东爱玲张爱钟书";
const FIRST_EN: &str = "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Margaret Mark Betty Donald Sandra Steven Ashley Paul Dorothy Andrew Kimberly Joshua Emily Kenneth Donna Kevin Michelle Brian Carol George Amanda Edward Melissa Ronald Deborah Timothy Stephanie Jason Rebecca Jeffrey Laura Ryan Sharon Jacob Cynthia Gary Kathleen Nicholas Amy Eric Shirley Jonathan Angela Stephen Helen Larry Anna Justin Brenda Scott Pamela Brandon Nicole Benjamin Emma Samuel Samantha Gregory Katherine Frank Christine Alexander Debra Raymond Rachel Patrick Catherine Jack Carolyn Dennis Janet Jerry Ruth Tyler Maria Aaron Heather";
const LAST_EN: &str = "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez Mcdonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn";
const PUBLISHERS: &[&str] = &[
    "人民文学出版社",
    "上海译文出版社",
    "中信出版社",
    "北京十月文艺出版社",
    "生活·读书·新知三联书店",
    "商务印书馆",
    "中华书局",
    "译林出版社",
    "南海出版公司",
    "浙江文艺出版社",
    "Penguin Books",
    "Vintage",
    "HarperCollins",
    "Oxford University Press",
    "Cambridge University Press",
    "Random House",
    "Faber & Faber",
    "MIT Press",
];
/// The categories: an English name, a Chinese one, and a slug.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("Fiction", "小说"),
    ("Literature", "文学"),
    ("Poetry", "诗歌"),
    ("Essays", "散文"),
    ("History", "历史"),
    ("Philosophy", "哲学"),
    ("Biography", "传记"),
    ("Science", "科学"),
    ("Technology", "技术"),
    ("Computing", "计算机"),
    ("Business", "商业"),
    ("Economics", "经济"),
    ("Psychology", "心理"),
    ("Education", "教育"),
    ("Children", "童书"),
    ("Comics", "漫画"),
    ("Art", "艺术"),
    ("Photography", "摄影"),
    ("Music", "音乐"),
    ("Film", "电影"),
    ("Travel", "旅行"),
    ("Cooking", "烹饪"),
    ("Health", "健康"),
    ("Sports", "运动"),
    ("Religion", "宗教"),
    ("Law", "法律"),
    ("Politics", "政治"),
    ("Military", "军事"),
    ("Languages", "语言"),
    ("Reference", "工具书"),
    ("Stationery", "文具"),
    ("Tea", "茶叶"),
    ("Gifts", "礼品"),
    ("Calligraphy", "书法"),
    ("Crafts", "手工"),
    ("Home", "家居"),
    ("Garden", "园艺"),
    ("Games", "游戏"),
    ("Magazines", "期刊"),
    ("Antiques", "古籍"),
];
const FUNCTION_WORDS_EN: &[&str] = &[
    "the", "of", "and", "a", "in", "to", "with", "for", "on", "from", "by", "is", "was", "at",
];

/// SplitMix64: small, fast, and the same everywhere.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for item `index` of stream `stream` under `seed`.
    pub fn for_item(seed: u64, stream: u64, index: u64) -> Self {
        let mut rng = Self(seed ^ stream.wrapping_mul(0xA24B_AED4_963E_E407));
        rng.0 ^= index.wrapping_mul(0x9FB2_1C65_1E98_DF25);
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % n.max(1) as u64).unwrap_or(0)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Ranks `0..n` drawn with weight `1 / (rank + 1)^s`.
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(s);
                total
            })
            .collect();
        Self { cumulative }
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let last = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.unit() * last;
        self.cumulative
            .partition_point(|&c| c < target)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// A list of words and how often each is used.
pub struct Words {
    pub words: Vec<String>,
    zipf: Zipf,
}

impl Words {
    fn new(words: Vec<String>, s: f64) -> Self {
        let zipf = Zipf::new(words.len(), s);
        Self { words, zipf }
    }

    pub fn draw(&self, rng: &mut Rng) -> &str {
        &self.words[self.zipf.sample(rng)]
    }

    /// A word of rank `from..` (rarer than the first `from`), drawn uniformly.
    pub fn rare(&self, rng: &mut Rng, from: usize) -> &str {
        let from = from.min(self.words.len() - 1);
        &self.words[rng.between(from, self.words.len() - 1)]
    }

    /// One of the `n` most common words.
    pub fn common(&self, rng: &mut Rng, n: usize) -> &str {
        &self.words[rng.below(n.min(self.words.len()))]
    }
}

/// Every list a product is drawn from.
pub struct Vocabulary {
    pub en: Words,
    pub zh: Words,
    pub tags: Words,
    pub authors_zh: Words,
    pub authors_en: Words,
}

fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

fn unique(words: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    words.filter(|w| seen.insert(w.clone())).collect()
}

impl Vocabulary {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::for_item(seed, 1, 0);

        // English: the common words list, shuffled (which words are common depends on the
        // seed), then made-up names for a long tail of rare words (places, people, things).
        let mut en = unique(WORDS_EN.split_whitespace().map(str::to_owned));
        shuffle(&mut en, &mut rng);
        let syllables = [
            "ka", "ren", "dor", "lin", "vo", "mar", "sel", "tha", "quin", "bra", "lo", "vek",
            "shi", "an", "ter", "mo", "gal", "rin", "del", "fa", "zor", "ul", "wen", "cas",
        ];
        let mut seen: HashSet<String> = en.iter().cloned().collect();
        while en.len() < 3_800 {
            let n = rng.between(2, 3);
            let word: String = (0..n).map(|_| *rng.pick(&syllables)).collect();
            if seen.insert(word.clone()) {
                en.push(word);
            }
        }

        // Chinese: real words first (shuffled), then words made of common characters drawn by
        // their frequency.
        let zh_chars: Vec<char> = CHARS_ZH.chars().filter(|c| !c.is_whitespace()).collect();
        let char_zipf = Zipf::new(zh_chars.len(), 0.7);
        let mut zh = unique(WORDS_ZH.split_whitespace().map(str::to_owned));
        shuffle(&mut zh, &mut rng);
        let mut seen: HashSet<String> = zh.iter().cloned().collect();
        while zh.len() < 3_400 {
            let n = if rng.chance(0.75) { 2 } else { 3 };
            let word: String = (0..n)
                .map(|_| zh_chars[char_zipf.sample(&mut rng)])
                .collect();
            if seen.insert(word.clone()) {
                zh.push(word);
            }
        }

        // Tags: common-ish words of both languages.
        let mut tags: Vec<String> = zh[..90].iter().chain(en[..90].iter()).cloned().collect();
        shuffle(&mut tags, &mut rng);

        let surnames: Vec<char> = SURNAMES_ZH.chars().collect();
        let given: Vec<char> = GIVEN_ZH.chars().collect();
        let authors_zh = unique((0..9000).map(|_| {
            let mut name = String::new();
            name.push(*rng.pick(&surnames));
            for _ in 0..rng.between(1, 2) {
                name.push(*rng.pick(&given));
            }
            name
        }));
        let first: Vec<&str> = FIRST_EN.split_whitespace().collect();
        let last: Vec<&str> = LAST_EN.split_whitespace().collect();
        let authors_en =
            unique((0..6000).map(|_| format!("{} {}", rng.pick(&first), rng.pick(&last))));

        Self {
            en: Words::new(en, 1.0),
            zh: Words::new(zh, 1.0),
            tags: Words::new(tags, 1.0),
            authors_zh: Words::new(authors_zh, 0.8),
            authors_en: Words::new(authors_en, 0.8),
        }
    }

    /// An English sentence of `low..=high` words.
    pub fn sentence_en(&self, rng: &mut Rng, low: usize, high: usize) -> String {
        let n = rng.between(low, high);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            let word = if i > 0 && rng.chance(0.3) {
                rng.pick(FUNCTION_WORDS_EN)
            } else {
                self.en.draw(rng)
            };
            if i == 0 {
                out.push_str(&capitalised(word));
            } else {
                out.push_str(word);
            }
        }
        out.push('.');
        out
    }

    /// A Chinese sentence of `low..=high` words, no spaces, a comma now and then.
    pub fn sentence_zh(&self, rng: &mut Rng, low: usize, high: usize) -> String {
        let n = rng.between(low, high);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 && rng.chance(0.15) {
                out.push('，');
            } else if i > 0 && rng.chance(0.2) {
                out.push(*rng.pick(&['的', '在', '和', '是', '了']));
            }
            out.push_str(self.zh.draw(rng));
        }
        out.push('。');
        out
    }

    fn text(&self, rng: &mut Rng, zh: bool, sentences: usize) -> String {
        let mut out = String::new();
        for i in 0..sentences {
            if zh {
                out.push_str(&self.sentence_zh(rng, 4, 12));
            } else {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(&self.sentence_en(rng, 6, 16));
            }
        }
        out
    }

    fn title_en(&self, rng: &mut Rng) -> String {
        let mut w = || capitalised(self.en.draw(rng));
        let (a, b, c) = (w(), w(), w());
        match rng.below(6) {
            0 => format!("The {a} {b}"),
            1 => format!("{a} of {b}"),
            2 => format!("{a} and {b}"),
            3 => format!("The {a} of the {b} {c}"),
            4 => format!("{a}: A {b} {c}"),
            _ => format!("{a} {b}"),
        }
    }

    fn title_zh(&self, rng: &mut Rng) -> String {
        let mut w = || self.zh.draw(rng).to_owned();
        let (a, b, c) = (w(), w(), w());
        match rng.below(6) {
            0 => format!("{a}的{b}"),
            1 => format!("{a}{b}"),
            2 => format!("{a}与{b}"),
            3 => format!("{a}{b}：{c}"),
            4 => a,
            _ => format!("{a}{b}{c}"),
        }
    }

    fn goods_name(&self, rng: &mut Rng, zh: bool) -> String {
        if zh {
            let c = rng.pick(&[
                "茶杯",
                "笔记本",
                "书签",
                "帆布袋",
                "明信片",
                "茶叶",
                "台灯",
                "香薰",
            ]);
            format!("{}{c}", self.zh.draw(rng))
        } else {
            let c = rng.pick(&[
                "Mug",
                "Notebook",
                "Bookmark",
                "Tote Bag",
                "Postcard Set",
                "Tea",
                "Lamp",
                "Candle",
                "Poster",
                "Puzzle",
            ]);
            format!(
                "{} {} {c}",
                capitalised(self.en.draw(rng)),
                capitalised(self.en.draw(rng))
            )
        }
    }

    pub fn author(&self, rng: &mut Rng, zh: bool) -> &str {
        if zh {
            self.authors_zh.draw(rng)
        } else {
            self.authors_en.draw(rng)
        }
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// One product, as the table stores it.
pub struct Product {
    pub sku: String,
    pub kind: &'static str,
    pub name: String,
    pub description: String,
    pub detailed_description: String,
    /// In cents.
    pub list_price: u64,
    /// An index into [`CATEGORIES`].
    pub category: usize,
    pub status: &'static str,
    pub attributes: Map<String, Value>,
    pub tags: Vec<String>,
    /// Seconds after the catalogue's start.
    pub created_offset: u64,
}

/// Makes product `index` of a catalogue.
pub struct Generator {
    pub vocabulary: Vocabulary,
    seed: u64,
    category_zipf: Zipf,
}

/// A catalogue grows over about three years.
const SPAN_SECS: u64 = 3 * 365 * 24 * 3600;

impl Generator {
    pub fn new(seed: u64) -> Self {
        Self {
            vocabulary: Vocabulary::new(seed),
            seed,
            category_zipf: Zipf::new(CATEGORIES.len(), 0.9),
        }
    }

    pub fn product(&self, index: u64, count: u64) -> Product {
        let v = &self.vocabulary;
        let mut rng = Rng::for_item(self.seed, 2, index);
        let zh = rng.chance(0.55);
        let book = rng.chance(0.75);
        let mut attributes = Map::new();
        let name;
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..rng.between(1, 4) {
            let tag = v.tags.draw(&mut rng).to_owned();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if book {
            name = if zh {
                v.title_zh(&mut rng)
            } else {
                v.title_en(&mut rng)
            };
            // A Chinese edition of a foreign book: an English original title, a foreign author
            // and a translator.
            let translated = zh && rng.chance(0.2);
            attributes.insert(
                "author".into(),
                json!(v.author(&mut rng, zh && !translated)),
            );
            if translated {
                attributes.insert("original_title".into(), json!(v.title_en(&mut rng)));
                attributes.insert("translator".into(), json!(v.author(&mut rng, true)));
            }
            let publisher = PUBLISHERS[if zh { rng.below(10) } else { 10 + rng.below(8) }];
            attributes.insert("publisher".into(), json!(publisher));
            attributes.insert("pub_year".into(), json!((1950 + rng.below(76)).to_string()));
            attributes.insert("pages".into(), json!(80 + rng.below(800)));
            attributes.insert(
                "binding".into(),
                json!(*rng.pick(&["平装", "精装", "paperback", "hardcover"])),
            );
            attributes.insert(
                "isbn".into(),
                json!(format!("978{:010}", rng.below(10_000_000_000))),
            );
            let intro_sentences = rng.between(1, 4);
            attributes.insert(
                "book_intro".into(),
                json!(v.text(&mut rng, zh, intro_sentences)),
            );
            if rng.chance(0.3) {
                attributes.insert("author_intro".into(), json!(v.text(&mut rng, zh, 1)));
            }
            // A sample chapter for some: the long texts.
            if rng.chance(0.15) {
                let sentences = rng.between(15, 60);
                attributes.insert("content".into(), json!(v.text(&mut rng, zh, sentences)));
            }
        } else {
            name = v.goods_name(&mut rng, zh);
        }
        let description_sentences = rng.between(1, 2);
        let description = v.text(&mut rng, zh, description_sentences);
        let detailed_description = if rng.chance(0.5) {
            String::new()
        } else {
            let sentences = rng.between(2, 6);
            v.text(&mut rng, zh, sentences)
        };
        let category = self.category_zipf.sample(&mut rng);
        // Ordered by number, with some spread, as products are added over time.
        let step = SPAN_SECS / count.max(1);
        let created_offset =
            index * step + rng.below(usize::try_from(step).unwrap_or(1).max(1)) as u64;
        Product {
            sku: format!("BENCH-{index:07}"),
            kind: if book { "book" } else { "goods" },
            name,
            description,
            detailed_description,
            list_price: 500 + rng.below(29_500) as u64,
            category,
            status: if rng.chance(0.03) {
                "archived"
            } else {
                "active"
            },
            attributes,
            tags,
            created_offset,
        }
    }
}

/// `secs` after 1970 in UTC, as PostgreSQL reads a timestamp.
fn timestamp(out: &mut String, secs: i64) {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}+00",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
}

/// Escapes a value for COPY's text format.
fn copy_text(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// The COPY columns [`copy_row`] writes, in order.
pub const COPY_COLUMNS: &str = "sku, kind, name, description, detailed_description, list_price, \
     category_id, status, attributes, tags, created_at, updated_at";

/// One line of COPY text for `product`; `category_ids[i]` is the id of `CATEGORIES[i]`,
/// `epoch` the catalogue's start as a timestamp PostgreSQL reads.
pub fn copy_row(out: &mut String, product: &Product, category_ids: &[i64], epoch_secs: i64) {
    let created = epoch_secs + i64::try_from(product.created_offset).unwrap_or(0);
    let fields: [&dyn Fn(&mut String); 12] = [
        &|o| copy_text(o, &product.sku),
        &|o| o.push_str(product.kind),
        &|o| copy_text(o, &product.name),
        &|o| copy_text(o, &product.description),
        &|o| copy_text(o, &product.detailed_description),
        &|o| {
            let _ = write!(
                o,
                "{}.{:02}",
                product.list_price / 100,
                product.list_price % 100
            );
        },
        &|o| {
            let _ = write!(o, "{}", category_ids[product.category]);
        },
        &|o| o.push_str(product.status),
        &|o| copy_text(o, &Value::Object(product.attributes.clone()).to_string()),
        &|o| {
            let quoted: Vec<String> = product
                .tags
                .iter()
                .map(|t| format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect();
            copy_text(o, &format!("{{{}}}", quoted.join(",")));
        },
        &|o| timestamp(o, created),
        &|o| timestamp(o, created),
    ];
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        field(out);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_makes_the_same_products() {
        let a = Generator::new(7);
        let b = Generator::new(7);
        for i in [0, 1, 999] {
            let (x, y) = (a.product(i, 1000), b.product(i, 1000));
            assert_eq!(
                (x.name, x.description, x.attributes),
                (y.name, y.description, y.attributes)
            );
        }
        assert!(
            a.vocabulary.en.words.len() > 3000,
            "{}",
            a.vocabulary.en.words.len()
        );
        assert!(
            a.vocabulary.zh.words.len() > 3000,
            "{}",
            a.vocabulary.zh.words.len()
        );
    }

    #[test]
    fn copy_rows_escape_tabs_and_newlines() {
        let mut out = String::new();
        copy_text(&mut out, "a\tb\nc\\");
        assert_eq!(out, "a\\tb\\nc\\\\");
        let mut at = String::new();
        timestamp(&mut at, 1_700_000_000);
        assert_eq!(at, "2023-11-14 22:13:20+00");
    }
}
