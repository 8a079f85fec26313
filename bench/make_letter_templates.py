#!/usr/bin/env python3
"""Writes the benchmark's letter template twice, laid out identically: once with tenderkit's
handlebars fields, once with docxtpl's Jinja fields. About ten fields and a scores table whose
row repeats for each of ten criteria.

    python3 bench/make_letter_templates.py OUTDIR
"""
import os
import sys

from docx import Document


def build(path, f, loop_open, loop_close, row_fields, jinja):
    doc = Document()
    doc.sections[0].header.paragraphs[0].add_run(f("tender.organisation"))
    doc.add_paragraph(f("bidder"))
    doc.add_paragraph("Dear " + f("bidder") + ",")
    doc.add_paragraph(f("tender.title") + " (" + f("tender.reference") + ")")
    doc.add_paragraph("The contract is to be awarded to " + f("winner.name") + ", whose total was " + f("winner.total") + ".")
    doc.add_paragraph("Your tender ranked " + f("rank") + " of " + f("ranked") + " with a total of " + f("total") + ": quality " + f("quality") + ", price " + f("price_score") + ".")
    table = doc.add_table(rows=0, cols=len(row_fields))
    table.style = "Table Grid"
    cells = table.add_row().cells
    for cell, h in zip(cells, ["Ref", "Criterion", "Your score", "Descriptor", "Winning score"]):
        cell.text = h
    if jinja:
        table.add_row().cells[0].text = loop_open
        cells = table.add_row().cells
        for cell, field in zip(cells, row_fields):
            cell.text = field
        table.add_row().cells[0].text = loop_close
    else:
        cells = table.add_row().cells
        for i, (cell, field) in enumerate(zip(cells, row_fields)):
            cell.text = (loop_open if i == 0 else "") + field + (loop_close if i == len(row_fields) - 1 else "")
    doc.add_paragraph("Yours sincerely,")
    doc.sections[0].footer.paragraphs[0].add_run("Ref " + f("tender.reference"))
    doc.save(path)


def main(out):
    os.makedirs(out, exist_ok=True)
    build(os.path.join(out, "letter-handlebars.docx"), lambda n: "{{" + n + "}}", "{{#each scores}}", "{{/each}}",
          ["{{reference}}", "{{title}}", "{{score}}", "{{descriptor}}", "{{winner_score}}"], False)
    build(os.path.join(out, "letter-docxtpl.docx"), lambda n: "{{ " + n + " }}", "{%tr for s in scores %}", "{%tr endfor %}",
          ["{{ s.reference }}", "{{ s.title }}", "{{ s.score }}", "{{ s.descriptor }}", "{{ s.winner_score }}"], True)


if __name__ == "__main__":
    main(sys.argv[1])
