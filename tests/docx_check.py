"""What a federation secretary's Word relies on, checked with python-docx.

Usage: python3 tests/docx_check.py FILE.docx [--lang id-ID] [--resaved]

Prints one JSON object: the problems found (empty when the file is right) and what was
seen (styles used, heading counts, core properties). With --resaved the file is one that
LibreOffice saved again: only "it opens and keeps its styles" is checked.
"""

import json
import sys
import zipfile

import docx
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraphs(container):
    """Every paragraph, also those inside (nested) tables."""
    for p in container.paragraphs:
        yield p
    for t in container.tables:
        for row in t.rows:
            for cell in row.cells:
                yield from paragraphs(cell)


def all_paragraphs(d):
    yield from paragraphs(d)
    for s in d.sections:
        for part in (s.header, s.footer, s.first_page_header, s.first_page_footer):
            yield from paragraphs(part)


def outline_level(style):
    ppr = style.element.find(qn("w:pPr"))
    if ppr is None:
        return None
    lvl = ppr.find(qn("w:outlineLvl"))
    return None if lvl is None else int(lvl.get(qn("w:val")))


def main():
    path = sys.argv[1]
    lang = "id-ID"
    if "--lang" in sys.argv:
        lang = sys.argv[sys.argv.index("--lang") + 1]
    resaved = "--resaved" in sys.argv
    d = docx.Document(path)
    problems = []
    defined = {s.name for s in d.styles}
    used = {}
    headings = {"1": 0, "2": 0, "3": 0}
    for p in all_paragraphs(d):
        name = p.style.name if p.style is not None else None
        used[name] = used.get(name, 0) + 1
        if name is not None and name.lower().startswith("heading "):
            headings[name.split()[-1]] = headings.get(name.split()[-1], 0) + 1
        if resaved:
            continue
        if name not in defined:
            problems.append(f"paragraph style {name!r} is not defined")
        if name == "Normal" and p.text.strip():
            problems.append(f"paragraph without a style of ours: {p.text[:40]!r}")
        ppr = p._p.pPr
        if ppr is not None:
            for child in ppr:
                tag = child.tag.replace(W, "")
                if tag not in ("pStyle", "numPr", "jc"):
                    problems.append(f"paragraph carries its own <w:{tag}>: {p.text[:40]!r}")
        for r in p.runs:
            f = r.font
            if f.name is not None or f.size is not None or (f.color is not None and f.color.type is not None):
                problems.append(f"run sets font, size or colour directly: {r.text[:40]!r}")
            if f.bold is not None or f.italic is not None:
                problems.append(f"run sets bold or italic directly: {r.text[:40]!r}")
    levels = {}
    by_name = {s.name.lower(): s for s in d.styles}
    for n in (1, 2, 3):
        s = by_name.get(f"heading {n}")
        levels[str(n)] = None if s is None else outline_level(s)
        if not resaved and levels[str(n)] != n - 1:
            problems.append(f"Heading {n} has outline level {levels[str(n)]}")
    cp = d.core_properties
    core = {
        "title": cp.title,
        "author": cp.author,
        "subject": cp.subject,
        "keywords": cp.keywords,
        "language": cp.language,
    }
    with zipfile.ZipFile(path) as z:
        styles_xml = z.read("word/styles.xml").decode()
        app_xml = z.read("docProps/app.xml").decode()
        settings_xml = z.read("word/settings.xml").decode()
    if not resaved:
        for key in ("title", "author", "subject", "keywords"):
            if not core[key]:
                problems.append(f"core property {key} is empty")
        if core["language"] != lang:
            problems.append(f"core language is {core['language']!r}")
        defaults = d.styles.element.find(qn("w:docDefaults"))
        lang_el = defaults.find(".//" + qn("w:lang")) if defaults is not None else None
        if lang_el is None or lang_el.get(qn("w:val")) != lang:
            problems.append("the document defaults do not set the language " + lang)
        if "updateFields" in settings_xml:
            problems.append("settings ask Word to update fields on opening")
    print(
        json.dumps(
            {
                "problems": problems,
                "styles_used": used,
                "headings": headings,
                "outline_levels": levels,
                "core": core,
                "company": "<Company>" in app_xml and app_xml.split("<Company>")[1].split("<")[0],
                "custom_styles_kept": sorted(n for n in defined if n in used),
                "styles_xml_bytes": len(styles_xml),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
