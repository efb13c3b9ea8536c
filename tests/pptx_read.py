"""Read a PowerPoint deck with python-pptx, as a trainer's tools would, and print what
tests/pptx.rs checks as JSON: per slide its layout, title, the text of every other shape,
its notes page's text, whether it holds a table or a picture, and where its pictures and
text placeholder stand."""

import json
import sys

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

deck = Presentation(sys.argv[1])
slides = []
for slide in deck.slides:
    title = slide.shapes.title
    texts = []
    tables = 0
    pictures = 0
    placeholders_only = True
    # Where the pictures, the text placeholder and the captions' boxes stand: [kind, top in
    # EMU (a picture's bottom), first line].
    shapes = []
    for shape in slide.shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
            shapes.append(["picture", shape.top + shape.height, ""])
        elif shape.is_placeholder and shape.placeholder_format.idx == 1:
            shapes.append(["body", shape.top, shape.text_frame.text.split("\n")[0]])
        caption = not shape.is_placeholder and shape.name.startswith("Caption ")
        if caption:
            shapes.append(["caption", shape.top, shape.text_frame.text])
        if shape.has_text_frame and shape != title:
            texts.append(shape.text_frame.text)
            # A picture's caption box is the one text outside the placeholders.
            if not shape.is_placeholder and not caption:
                placeholders_only = False
        if shape.has_table:
            tables += 1
            for row in shape.table.rows:
                texts.append(" | ".join(c.text for c in row.cells))
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
            pictures += 1
    notes = None
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame.text
    slides.append(
        {
            "layout": slide.slide_layout.name,
            "title": title.text if title is not None else None,
            "texts": texts,
            "notes": notes,
            "tables": tables,
            "pictures": pictures,
            "placeholders_only": placeholders_only,
            "shapes": shapes,
        }
    )
print(
    json.dumps(
        {
            "layouts": [l.name for l in deck.slide_layouts],
            "width": deck.slide_width,
            "height": deck.slide_height,
            "slides": slides,
        }
    )
)
