//! The certifier's settings, a value a key (`certif config set|get|list`): what the national
//! declaration needs to name its emitter and certifier. Every change is audited (entity
//! `config`); the audit check holds each stored value against its latest entry.

use std::future::Future;

use crate::StoreResult;

/// The audit log's entity for a setting.
pub const AUDITED: &str = "config";

/// What certif keeps of its settings.
pub trait ConfigStore: Send + Sync {
    /// Sets `key` to `value` (replacing it), audited.
    fn set_config(&self, key: &str, value: &str, actor: &str) -> impl Future<Output = StoreResult<()>> + Send;
    fn config(&self, key: &str) -> impl Future<Output = StoreResult<Option<String>>> + Send;
    /// Every setting, by key.
    fn configs(&self) -> impl Future<Output = StoreResult<Vec<(String, String)>>> + Send;
}
