//! Branded decks without typesetting the deck again: the canonical deck's pages (set once,
//! without a brand mark) get a federation's overlay placed over them with lopdf: its title
//! slide and the slides whose text differs for it (a placeholder) in place of the deck's
//! pages, its brand mark in the footer of every other page. Fonts and pictures of the deck
//! are not copied: each deck file is the deck's objects plus one small form per page.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use sha2::{Digest, Sha256};

use crate::render::pdf_pages::page_to_form;

/// `base` (the deck without brand) with `overlay` (one page per deck page) placed over
/// it: where `replace` is true the overlay's page takes the deck page's place (the title
/// slide, a slide whose text differs for this brand), elsewhere it is drawn over the deck
/// page (the footer mark). `ident` gives the file its own `/ID`.
pub fn brand(
    base: &[u8],
    overlay: &[u8],
    replace: &[bool],
    ident: &str,
) -> Result<Vec<u8>, String> {
    let mut doc = Document::load_mem(base).map_err(|e| e.to_string())?;
    let mut over = Document::load_mem(overlay).map_err(|e| e.to_string())?;
    over.renumber_objects_with(doc.max_id + 1);
    let over_pages: Vec<ObjectId> = over.get_pages().into_values().collect();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if over_pages.len() != pages.len() || replace.len() != pages.len() {
        return Err(format!(
            "the brand overlay has {} pages for a deck of {}",
            over_pages.len(),
            pages.len()
        ));
    }
    doc.max_id = over.max_id;
    doc.objects.extend(over.objects);
    for (i, (&page, &over_page)) in pages.iter().zip(&over_pages).enumerate() {
        let (form, _) = page_to_form(&mut doc, over_page)?;
        let name = "MpBrand";
        let draw = doc.add_object(Stream::new(
            Dictionary::new(),
            format!("q /{name} Do Q\n").into_bytes(),
        ));
        add_xobject(&mut doc, page, name, form)?;
        let dict = doc.get_dictionary_mut(page).map_err(|e| e.to_string())?;
        let contents = if replace[i] {
            // The overlay's page replaces the deck's: its links go with it.
            dict.remove(b"Annots");
            vec![Object::Reference(draw)]
        } else {
            let mut list = match dict.get(b"Contents") {
                Ok(Object::Array(a)) => a.clone(),
                Ok(other) => vec![other.clone()],
                Err(_) => Vec::new(),
            };
            list.push(Object::Reference(draw));
            list
        };
        dict.set("Contents", contents);
    }
    let hash = Sha256::digest(ident.as_bytes());
    let id = Object::String(hash[..16].to_vec(), lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    doc.prune_objects();
    doc.renumber_objects();
    let mut out = Vec::with_capacity(base.len() + overlay.len());
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Name `form` as `name` in the XObject resources of `page` (a copy of its resources, so
/// that pages sharing them are not changed behind their back).
fn add_xobject(
    doc: &mut Document,
    page: ObjectId,
    name: &str,
    form: ObjectId,
) -> Result<(), String> {
    let resources = match doc
        .get_dictionary(page)
        .map_err(|e| e.to_string())?
        .get(b"Resources")
    {
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).map_err(|e| e.to_string())?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut resources = resources;
    let mut xobjects = match resources.get(b"XObject") {
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).map_err(|e| e.to_string())?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    xobjects.set(name, Object::Reference(form));
    resources.set("XObject", Object::Dictionary(xobjects));
    doc.get_dictionary_mut(page)
        .map_err(|e| e.to_string())?
        .set("Resources", Object::Dictionary(resources));
    Ok(())
}
