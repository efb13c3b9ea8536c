//! Typst's compile, started from an earlier layout's introspector instead of an empty one.
//!
//! `typst::compile` lays a document out until its introspections settle, the first pass
//! knowing nothing (footnote and figure numbers, query results). A booklet laid out again
//! for its page numbers' widths (`render/booklet/page_refs.rs`) differs from its previous
//! layout only in the page runs whose digits changed: started from that layout's
//! introspector, Typst takes every other page run from its memo in the first pass, and
//! the document settles in one pass instead of two. Better still, the book's generated
//! files can change between two passes of one compile (`compile_adjusting`): the page
//! numbers' widths found after the first pass are laid out in the second, the pass that
//! Typst needs anyway for footnote and figure numbers. The loop is `typst::compile`'s own
//! (typst 0.15.1), with these as the only changes; it settles to the same document.

use typst::World;
use typst::comemo::{Track, Tracked};
use typst::diag::{SourceDiagnostic, SourceResult, Warned};
use typst::engine::{Engine, Route, Sink, Traced};
use typst::foundations::{Content, StyleChain, Target, TargetElem};
use typst::introspection::{EmptyIntrospector, ITER_NAMES, Introspector, MAX_ITERS};
use typst::utils::Protected;
use typst_layout::PagedDocument;
use typst_timing::TimingScope;

/// Compile `world`'s main file to a paged document; after each layout pass, `adjust` may
/// give another world (the same document with other generated files), whose main file is
/// evaluated and laid out next from that pass's introspector, as a pass of the same
/// compile. The last world, and the document.
pub fn compile_adjusting<W: World>(
    world: W,
    seed: Option<&PagedDocument>,
    adjust: impl FnMut(&PagedDocument) -> Option<W>,
) -> (W, Warned<SourceResult<PagedDocument>>) {
    let mut sink = Sink::new();
    let mut world = world;
    let output = compile_impl(&mut world, seed, adjust, &mut sink).map_err(deduplicate);
    (
        world,
        Warned {
            output,
            warnings: sink.warnings(),
        },
    )
}

fn eval_main(world: &dyn World, sink: &mut Sink) -> SourceResult<Content> {
    let world = world.track();
    let main = world.source(world.main()).map_err(|e| {
        typst::ecow::eco_vec![SourceDiagnostic::error(
            typst::syntax::Span::detached(),
            e.to_string()
        )]
    })?;
    Ok(typst_eval::eval(
        world,
        world.library(),
        Traced::default().track(),
        sink.track_mut(),
        Route::default().track(),
        &main,
    )?
    .content())
}

fn compile_impl<W: World>(
    world: &mut W,
    seed: Option<&PagedDocument>,
    mut adjust: impl FnMut(&PagedDocument) -> Option<W>,
    sink: &mut Sink,
) -> SourceResult<PagedDocument> {
    let empty = EmptyIntrospector;
    let traced = Traced::default();
    let mut content = eval_main(world, sink)?;

    let mut history: Vec<PagedDocument> = Vec::new();
    let mut document: PagedDocument;
    loop {
        let introspector: &dyn Introspector = match (history.last(), seed) {
            (Some(doc), _) | (None, Some(doc)) => intro(doc),
            (None, None) => &empty,
        };
        let tracked: Tracked<dyn World + '_> = (world as &dyn World).track();
        let library = tracked.library();
        let base = StyleChain::new(&library.styles);
        let target = TargetElem::target.set(Target::Paged).wrap();
        let styles = base.chain(&target);
        let constraint = typst::comemo::Constraint::new();
        let mut subsink = Sink::new();
        let mut engine = Engine {
            library,
            world: tracked,
            introspector: Protected::new(introspector.track_with(&constraint)),
            traced: traced.track(),
            sink: subsink.track_mut(),
            route: Route::default(),
        };
        // The pass's timer covers the layout alone, not the checks on it (`adjust`).
        document = {
            let _scope = TimingScope::new(ITER_NAMES[history.len()]);
            typst_layout::layout_document(&mut engine, &content, styles)?
        };
        let full = history.len() == MAX_ITERS - 1;
        if !full && let Some(next) = adjust(&document) {
            // The document changed: lay it out again, as the next pass (this pass's
            // warnings, like those of any pass but the last, are dropped).
            *world = next;
            content = eval_main(world, sink)?;
            history.push(document);
            continue;
        }
        if constraint.validate(intro(&document)) {
            sink.extend_from_sink(subsink);
            break;
        }
        if full {
            let mut introspectors = [&empty as &dyn Introspector; MAX_ITERS + 1];
            if let Some(seed) = seed {
                introspectors[0] = intro(seed);
            }
            for (i, doc) in history.iter().enumerate() {
                introspectors[i + 1] = intro(doc);
            }
            introspectors[MAX_ITERS] = intro(&document);
            let warnings =
                typst::introspection::analyze(tracked, introspectors, subsink.introspections());
            sink.extend_from_sink(subsink);
            for warning in warnings {
                sink.warn(warning);
            }
            break;
        }
        history.push(document);
    }

    let delayed = sink.delayed();
    if !delayed.is_empty() {
        return Err(delayed);
    }
    Ok(document)
}

fn intro(doc: &PagedDocument) -> &dyn Introspector {
    &**doc.introspector()
}

/// The same diagnostic (place and message) once, as `typst::compile` gives it.
fn deduplicate(
    mut diags: typst::ecow::EcoVec<SourceDiagnostic>,
) -> typst::ecow::EcoVec<SourceDiagnostic> {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert(typst::utils::hash128(&(&d.span, &d.message))));
    diags
}
