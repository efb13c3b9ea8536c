//! The order WordprocessingML (ECMA-376, transitional) requires for the children of the
//! property elements docx-rs writes out of order. Word is the client that refuses or
//! "repairs" what LibreOffice and pandoc forgive.

/// Children of `w:pPr` (CT_PPr).
const PPR: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];

/// Children of `w:rPr` (CT_RPr, with the paragraph mark's revision marks first).
const RPR: &[&str] = &[
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
];

/// Children of `w:style` (CT_Style).
const STYLE: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
];

/// Children of `w:tblPr` (CT_TblPr).
const TBLPR: &[&str] = &[
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
];

/// Children of `w:trPr` (a choice in the schema; Word's own order).
const TRPR: &[&str] = &[
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
    "ins",
    "del",
    "trPrChange",
];

/// Children of `w:tcPr` (CT_TcPr).
const TCPR: &[&str] = &[
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
    "headers",
    "cellIns",
    "cellDel",
    "cellMerge",
    "tcPrChange",
];

/// Children of `w:sectPr` (CT_SectPr); header and footer references come first.
const SECTPR: &[&str] = &[
    "headerReference|footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
];

const NUMPR: &[&str] = &["ilvl", "numId", "numberingChange", "ins"];
const LVL: &[&str] = &[
    "start",
    "numFmt",
    "lvlRestart",
    "pStyle",
    "isLgl",
    "suff",
    "lvlText",
    "lvlPicBulletId",
    "legacy",
    "lvlJc",
    "pPr",
    "rPr",
];
const ABSTRACT_NUM: &[&str] = &[
    "nsid",
    "multiLevelType",
    "tmpl",
    "name",
    "styleLink",
    "numStyleLink",
    "lvl",
];
const PBDR: &[&str] = &["top", "left", "bottom", "right", "between", "bar"];
const TBL_BORDERS: &[&str] = &[
    "top",
    "left|start",
    "bottom",
    "right|end",
    "insideH",
    "insideV",
];
const TC_BORDERS: &[&str] = &[
    "top",
    "left|start",
    "bottom",
    "right|end",
    "insideH",
    "insideV",
    "tl2br",
    "tr2bl",
];
const CELL_MAR: &[&str] = &["top", "left|start", "bottom", "right|end"];
const DOC_DEFAULTS: &[&str] = &["rPrDefault", "pPrDefault"];
const TBL_STYLE_PR: &[&str] = &["pPr", "rPr", "tblPr", "trPr", "tcPr"];
const LVL_OVERRIDE: &[&str] = &["startOverride", "lvl"];
const NUM: &[&str] = &["abstractNumId", "lvlOverride"];

/// The required order of the children of a `w:` element, if it has one we enforce.
fn order(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "pPr" => PPR,
        "rPr" => RPR,
        "style" => STYLE,
        "tblPr" => TBLPR,
        "trPr" => TRPR,
        "tcPr" => TCPR,
        "sectPr" => SECTPR,
        "numPr" => NUMPR,
        "lvl" => LVL,
        "abstractNum" => ABSTRACT_NUM,
        "pBdr" => PBDR,
        "tblBorders" => TBL_BORDERS,
        "tcBorders" => TC_BORDERS,
        "tblCellMar" | "tcMar" => CELL_MAR,
        "docDefaults" => DOC_DEFAULTS,
        "tblStylePr" => TBL_STYLE_PR,
        "lvlOverride" => LVL_OVERRIDE,
        "num" => NUM,
        _ => return None,
    })
}

/// Where `child` goes among the children of `parent` (both qualified names such as
/// `w:pPr`): `None` if `parent` has no enforced order; unknown children go last.
pub fn rank(parent: &[u8], child: &[u8]) -> Option<usize> {
    let parent = std::str::from_utf8(parent.strip_prefix(b"w:")?).ok()?;
    let list = order(parent)?;
    let position = child.strip_prefix(b"w:").and_then(|c| {
        list.iter().position(|entry| {
            entry.as_bytes() == c
                || (entry.contains('|') && entry.split('|').any(|alt| alt.as_bytes() == c))
        })
    });
    Some(position.unwrap_or(list.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_the_schema() {
        assert!(rank(b"w:pPr", b"w:pStyle") < rank(b"w:pPr", b"w:numPr"));
        assert!(rank(b"w:pPr", b"w:spacing") < rank(b"w:pPr", b"w:rPr"));
        assert!(rank(b"w:rPr", b"w:rFonts") < rank(b"w:rPr", b"w:sz"));
        assert!(rank(b"w:style", b"w:basedOn") < rank(b"w:style", b"w:qFormat"));
        assert_eq!(
            rank(b"w:sectPr", b"w:headerReference"),
            rank(b"w:sectPr", b"w:footerReference")
        );
        assert!(rank(b"w:sectPr", b"w:footerReference") < rank(b"w:sectPr", b"w:pgSz"));
        assert_eq!(rank(b"w:p", b"w:r"), None);
        assert_eq!(rank(b"w:pPr", b"w:unknown"), Some(PPR.len()));
    }
}
