//! How a command runs its asynchronous work: on one thread, the command's only task.

/// The runtime every database command blocks on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

use certif_core::messages::Lang;

static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// Sets the language of everything the command prints (`--lang`, `CERTIF_LANG`): once, in `main`.
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language the command speaks: French unless `--lang en` said otherwise.
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// A sentence of the command line in its language.
pub fn say(said: certif_core::messages::cli::Said<'_>) -> String {
    certif_core::messages::cli::say(said, lang())
}
