//! The relationships of a package part (`_rels/*.rels`), shared by the package and the
//! document properties.

use super::tree::{self as post, Element, Node};

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// One relationship of a part.
#[derive(Debug, Clone)]
pub struct Rel {
    pub kind: String,
    /// Unescaped.
    pub target: String,
    pub external: bool,
}

pub fn rels_xml(rels: &[(String, Rel)]) -> Vec<u8> {
    let mut root = Element::new("Relationships").with(
        "xmlns",
        "http://schemas.openxmlformats.org/package/2006/relationships",
    );
    for (id, r) in rels {
        let mut e = Element::new("Relationship")
            .with("Id", id)
            .with("Type", &r.kind)
            .with("Target", &r.target);
        if r.external {
            e.set("TargetMode", "External");
        }
        root.children.push(Node::El(e));
    }
    post::serialize(&root)
}

pub fn rel(kind: &str, target: &str) -> Rel {
    Rel {
        kind: format!("{REL}/{kind}"),
        target: target.into(),
        external: false,
    }
}
