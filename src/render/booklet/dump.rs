//! The booklets as Typst projects on their own (`modulpress dump --typst DIR`): for each
//! audience the exact main file and `/meta.typ` that the build compiles, with the module
//! and layouts folders under the virtual paths the build serves them at (`/src/`,
//! `/layouts/`, fonts in `layouts/fonts/`), so that the Typst CLI compiles the same
//! document: the benchmark's measure of the engine's limit.

use crate::model::Audience;
use crate::project::Project;
use crate::route::{Org, Target};

use super::{TEMPLATE, markup, options};

/// One booklet's Typst project: its folder name, main file and files, paths relative to
/// the folder.
pub struct TypstProject {
    pub folder: String,
    pub main: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Both booklets' projects, participant first; empty without the booklet template.
pub fn typst_projects(project: &Project) -> Vec<TypstProject> {
    if project.bundle.layouts.get(TEMPLATE).is_none() {
        return Vec::new();
    }
    let meta = &project.module.meta;
    [Audience::Participant, Audience::Facilitator]
        .into_iter()
        .map(|audience| {
            let view = crate::route::view(
                &project.module,
                Target::Document(audience),
                &Org::publisher(meta),
            );
            let m = markup::generate(&view, &project.bundle.source, &options(project, audience));
            // The same name as the build's main file (`render`), so messages match too.
            let main = format!("{}-{}.typ", meta.id, audience.name());
            let mut files = vec![
                (main.clone(), m.text.into_bytes()),
                ("meta.typ".to_string(), m.meta.into_bytes()),
            ];
            for (root, folder) in [
                ("src", &project.bundle.source),
                ("layouts", &project.bundle.layouts),
            ] {
                for (rel, bytes) in &folder.files {
                    files.push((format!("{root}/{rel}"), bytes.to_vec()));
                }
            }
            TypstProject {
                folder: audience.name().to_string(),
                main,
                files,
            }
        })
        .collect()
}
