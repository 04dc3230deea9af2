use std::sync::Arc;

/// Builds keys under one prefix: `Keyspace::new("atelier:").key(&["session", id])` is
/// `atelier:session:<id>`.
#[derive(Debug, Clone)]
pub struct Keyspace {
    prefix: Arc<str>,
}

impl Keyspace {
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.into(),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn key(&self, parts: &[&str]) -> String {
        let mut key = String::with_capacity(
            self.prefix.len() + parts.iter().map(|p| p.len() + 1).sum::<usize>(),
        );
        key.push_str(&self.prefix);
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                key.push(':');
            }
            key.push_str(part);
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::Keyspace;

    #[test]
    fn keys_are_prefixed_and_joined_with_colons() {
        let keys = Keyspace::new("atelier:");
        assert_eq!(keys.key(&["session", "abc"]), "atelier:session:abc");
        assert_eq!(Keyspace::new("t1:").key(&["x"]), "t1:x");
    }
}
