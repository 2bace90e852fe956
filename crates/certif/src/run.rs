//! How a command runs its asynchronous work: on one thread, the command's only task.

/// The runtime every database command blocks on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}
