"""The edits a federation secretary makes in Word, made with python-docx on a modulpress
DOCX: python edit.py IN.docx OUT.docx. Each edit fails loudly if its place is not found."""
import copy
import sys

import docx
from docx.oxml.ns import qn

d = docx.Document(sys.argv[1])


def find(text):
    """The paragraph of the module's text (not the table of contents) holding `text`."""
    for p in d.element.body.iter(qn("w:p")):
        marked = any(
            (b.get(qn("w:name")) or "").startswith("_mp") for b in p.iter(qn("w:bookmarkStart"))
        )
        t = "".join(x.text or "" for x in p.iter(qn("w:t")))
        if marked and text in t:
            return p
    raise SystemExit(f"not found: {text}")


# 1. A sentence changed in a session-4 paragraph (inside one run).
p = find("Undang-undang di bawah UUD tidak boleh menghapus hak")
for t in p.iter(qn("w:t")):
    if "tidak boleh menghapus hak" in (t.text or ""):
        t.text = t.text.replace("tidak boleh menghapus hak", "sama sekali tidak boleh menghapus hak")
        break

# 2. A paragraph added after a section heading (session 4).
h = find("UU No. 21 Tahun 2000 tentang Serikat Pekerja/Serikat Buruh")
nxt = h.getnext()
new = copy.deepcopy(nxt)
for child in list(new):
    if child.tag != qn("w:pPr"):
        new.remove(child)
r = new.makeelement(qn("w:r"), {})
t = r.makeelement(qn("w:t"), {})
t.text = "Di FSPMI, pencatatan serikat anggota diurus bersama Dinas Tenaga Kerja setempat."
r.append(t)
new.append(r)
h.addnext(new)

# 3. A list item deleted (session 4's objectives).
li = find("mengenali undang-undang lain yang berkaitan")
li.getparent().remove(li)

# 4. A heading's text changed (its bookmarks stay).
h = find("Undang-Undang Lain yang Berkaitan")
ts = list(h.iter(qn("w:t")))
ts[0].text = "Undang-Undang Lain yang Perlu Diketahui"
for extra in ts[1:]:
    extra.text = ""

# 5. A two-column table inserted (session 7), after a paragraph.
anchor = find("PKB mengubah janji lisan menjadi hak tertulis")
table = d.add_table(rows=2, cols=2)
cells = [("Langkah", "Penanggung jawab"), ("Menyusun draf PKB", "Tim runding FSPMI")]
for row, values in zip(table.rows, cells):
    for cell, v in zip(row.cells, values):
        cell.text = v
anchor.addnext(table._tbl)

d.save(sys.argv[2])
