//! The project register port: the canonical list of projects, loaded whole from a city's file.

use std::future::Future;

use super::StoreError;
use crate::advancement::register::{Register, RegisterLoad};
use crate::platform::account::Attribution;

/// The project register.
pub trait RegisterStore: Send + Sync {
    /// The register: every department of the organisation and every registered project, in
    /// the city's order.
    fn register(&self) -> impl Future<Output = Result<Register, StoreError>> + Send;
    /// Loads a checked register in one transaction: its departments are added or renamed, its
    /// projects added or replaced (each change audited with the entry before and after); a
    /// registered project the file does not list is kept. Refused, with nothing changed, when
    /// a department's code is a district's or a street's, or a project names a department
    /// that is neither declared nor known.
    fn load_register(
        &self,
        register: &Register,
        by: &Attribution,
    ) -> impl Future<Output = Result<RegisterLoad, StoreError>> + Send;
}
