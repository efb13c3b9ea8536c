//! The booklets as Typst projects on their own (`modulpress dump --typst DIR`): for each
//! audience the exact main file and `/meta.typ` that the build compiles, `/pages.typ` with
//! the page numbers the build writes into the laid-out book (`page_refs`), `/relaxed.typ`
//! with the paragraphs it sets without widow and orphan control (`footnotes`), the furniture
//! document it compiles after it (`MOD-AUDIENCE-furniture.typ`, made from the laid-out
//! book's page facts: the book is laid out once for it), with the module and layouts
//! folders under the virtual paths the build serves them at (`/src/`, `/layouts/`, fonts in
//! `layouts/fonts/`), so that the Typst CLI compiles the same documents: the benchmark's
//! measure of the engine's limit.

use crate::model::Audience;
use crate::project::Project;
use crate::route::{Org, Target};

use super::{TEMPLATE, footnotes, furniture, markup, options, page_refs, settle};
use crate::diag::Diag;
use crate::render::typst::{Engine, pdf};

/// One booklet's Typst project: its folder name, main file and files, paths relative to
/// the folder.
pub struct TypstProject {
    pub folder: String,
    pub main: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Both booklets' projects, participant first; empty without the booklet template. Fails
/// if a book cannot be laid out (for its furniture's page facts).
pub fn typst_projects(project: &Project) -> Result<Vec<TypstProject>, Vec<Diag>> {
    if project.bundle.layouts.get(TEMPLATE).is_none() {
        return Ok(Vec::new());
    }
    let meta = &project.module.meta;
    let engine = Engine::new(&project.bundle, &Default::default());
    let sources = crate::render::typst::session_sources(project);
    let places = pdf::Places {
        templates: &project.templates,
        sources: &sources,
    };
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
            let mut files = Vec::new();
            let template = project.bundle.layouts.get(TEMPLATE).map(|t| &t[..]);
            // The book is laid out as the build lays it out, for its furniture's page facts
            // and its page numbers (`/pages.typ` gets the numbers themselves, so that the
            // Typst CLI sets the same digits that the build writes after layout), and the
            // paragraphs it sets without widow and orphan control (`/relaxed.typ`).
            let laid = settle(&engine, &format!("/{main}"), &m, meta.date, &places)?;
            if template.is_some_and(furniture::supported) {
                let facts = furniture::facts(&laid.compiled.doc);
                let text = furniture::markup("/layouts/booklet.typ", &facts);
                files.push((main.replace(".typ", "-furniture.typ"), text.into_bytes()));
            }
            let numbers = laid
                .numbers
                .iter()
                .map(|(id, page)| (id.clone(), page.to_string()))
                .collect();
            files.push((
                "pages.typ".to_string(),
                page_refs::pages_typ(&numbers, &numbers).into_bytes(),
            ));
            files.push((main.clone(), m.text.into_bytes()));
            files.push(("meta.typ".to_string(), m.meta.into_bytes()));
            files.push((
                "relaxed.typ".to_string(),
                footnotes::relaxable(&laid.relaxed).into_bytes(),
            ));
            for (root, folder) in [
                ("src", &project.bundle.source),
                ("layouts", &project.bundle.layouts),
            ] {
                for (rel, bytes) in &folder.files {
                    files.push((format!("{root}/{rel}"), bytes.to_vec()));
                }
            }
            Ok(TypstProject {
                folder: audience.name().to_string(),
                main,
                files,
            })
        })
        .collect()
}
