//! The plan: which outputs a build makes, as independent jobs (outputs × audiences ×
//! federations), in a fixed order so that results can be sorted back after running in
//! parallel. Each backend plans its own jobs (`render::backend`); the plan is theirs in
//! the order of `render::BACKENDS`.

use crate::project::Project;
use crate::render::BACKENDS;
pub use crate::render::backend::{Job, Selection};

/// Turn a selection into jobs, in output order.
pub fn plan(project: &Project, selection: &Selection) -> Vec<Job> {
    BACKENDS
        .iter()
        .flat_map(|backend| backend.plan(project, selection))
        .collect()
}
