//! Finished PDF pages placed on other pages with lopdf: each page becomes a Form XObject
//! that shares its resources, so fonts are stored once and text stays vector and
//! selectable. The imposed booklets and the branded decks use it.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

/// Turn page `id` into a Form XObject (reusing its content stream) and return the form's
/// id and the page's trim box.
pub fn page_to_form(doc: &mut Document, id: ObjectId) -> Result<(ObjectId, [f32; 4]), String> {
    let page = doc.get_dictionary(id).map_err(|e| e.to_string())?;
    let boxed = |key: &[u8]| -> Option<[f32; 4]> {
        let v: Vec<f32> = page
            .get(key)
            .ok()?
            .as_array()
            .ok()?
            .iter()
            .filter_map(|o| o.as_float().ok())
            .collect();
        v.try_into().ok()
    };
    let trim = boxed(b"TrimBox")
        .or_else(|| boxed(b"MediaBox"))
        .ok_or("a page has no MediaBox")?;
    let resources = page
        .get(b"Resources")
        .cloned()
        .unwrap_or(Object::Dictionary(Dictionary::new()));
    let group = page.get(b"Group").ok().cloned();
    let contents: Vec<ObjectId> = match page.get(b"Contents") {
        Ok(Object::Reference(r)) => vec![*r],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => Vec::new(),
    };
    let mut form = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Form",
        "BBox" => trim.iter().map(|x| Object::Real(*x)).collect::<Vec<_>>(),
        "Resources" => resources,
    };
    if let Some(g) = group {
        form.set("Group", g);
    }
    // One content stream (what Typst writes) becomes the form itself; several are joined.
    if let [single] = contents[..]
        && let Ok(Object::Stream(stream)) = doc.get_object_mut(single)
    {
        for (k, v) in form.into_iter() {
            stream.dict.set(k, v);
        }
        return Ok((single, trim));
    }
    let mut bytes = Vec::new();
    for c in contents {
        if let Ok(Object::Stream(s)) = doc.get_object(c) {
            bytes.extend(
                s.decompressed_content()
                    .unwrap_or_else(|_| s.content.clone()),
            );
            bytes.push(b'\n');
        }
    }
    Ok((doc.add_object(Stream::new(form, bytes)), trim))
}

/// A PDF text string: UTF-16BE with a byte order mark, so that any title survives.
pub fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
    Object::String(bytes, lopdf::StringFormat::Hexadecimal)
}

pub fn num(x: f32) -> String {
    format!("{}", (x * 1000.0).round() / 1000.0)
}
