/// Why an input was refused, in words fit for the person who sent it. Parsers of value objects
/// return it; the API reports it against the field the value came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(String);

impl Invalid {
    pub fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }

    pub fn reason(&self) -> &str {
        &self.0
    }
}

/// The fields of an input that were refused, each with why, named as the input names them
/// (`email`, `attributes.pages`).
pub type FieldErrors = Vec<(String, Invalid)>;

/// Checks several fields of one input and keeps every refusal, so that whoever sent it learns
/// of all of them at once.
#[derive(Debug, Default)]
pub struct Fields(FieldErrors);

impl Fields {
    /// The value, or `None` with the refusal kept against `field`.
    pub fn check<T>(&mut self, field: &str, outcome: Result<T, Invalid>) -> Option<T> {
        outcome.map_err(|e| self.0.push((field.to_owned(), e))).ok()
    }

    /// Keeps refusals found elsewhere.
    pub fn extend(&mut self, errors: FieldErrors) {
        self.0.extend(errors);
    }

    /// `Ok` when every field passed, else every refusal.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
