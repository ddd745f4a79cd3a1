//! The organisation and roles port: the city's units, departments' parts in projects, and
//! who holds which role where.

use std::future::Future;

use super::StoreError;
use crate::organisation::{Assignment, OrgUnit, Organisation, ProjectDepartment};
use crate::platform::account::Attribution;

/// The organisation and the roles held in it.
pub trait OrganisationStore: Send + Sync {
    /// The organisation: units and departments' parts in projects.
    fn organisation(&self) -> impl Future<Output = Result<Organisation, StoreError>> + Send;
    /// Adds a unit, or renames an existing one (its kind and parent stay), audited.
    fn put_unit(
        &self,
        unit: &OrgUnit,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Sets a department's part in a project, audited.
    fn set_project_department(
        &self,
        link: &ProjectDepartment,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Every role assignment, by account name.
    fn assignments(
        &self,
    ) -> impl Future<Output = Result<Vec<(String, Assignment)>, StoreError>> + Send;
    /// Gives an account a role within a scope (nothing changes when it holds it already),
    /// audited.
    fn grant(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Takes a role back; false when the account did not hold it. Audited.
    fn revoke(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}
