#!/usr/bin/env python3
"""Writes the benchmark's letter template three times, laid out identically: with tenderkit's
handlebars fields, with Word's own mail-merge fields (MERGEFIELDs as Word writes them), and with
docxtpl's Jinja fields. About ten fields and a scores table whose row repeats for each of ten
criteria.

    python3 bench/make_letter_templates.py OUTDIR
"""
import os
import sys

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

W = nsdecls("w")


def merge_field(paragraph, name):
    """A MERGEFIELD as Word stores it: begin, the instruction over two runs, separate, «name», end."""
    p = paragraph._p
    p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p.append(parse_xml(f'<w:r {W}><w:instrText xml:space="preserve"> MERGEFIELD </w:instrText></w:r>'))
    p.append(parse_xml(f'<w:r {W}><w:instrText xml:space="preserve">{name} \\* MERGEFORMAT </w:instrText></w:r>'))
    p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p.append(parse_xml(f'<w:r {W}><w:t>«{name}»</w:t></w:r>'))
    p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))


def paragraph_of(paragraph, parts):
    """Text and merge fields in order: a part in «» is a field."""
    for part in parts:
        if part.startswith("«"):
            merge_field(paragraph, part.strip("«»"))
        else:
            paragraph.add_run(part)
    return paragraph


def build_mergefields(path):
    doc = Document()
    paragraph_of(doc.sections[0].header.paragraphs[0], ["«Tender_Organisation»"])
    paragraph_of(doc.add_paragraph(), ["«Bidder»"])
    paragraph_of(doc.add_paragraph(), ["Dear ", "«Bidder»", ","])
    paragraph_of(doc.add_paragraph(), ["«Tender_Title»", " (", "«Tender_Reference»", ")"])
    paragraph_of(doc.add_paragraph(), ["The contract is to be awarded to ", "«Winner_Name»", ", whose total was ", "«Winner_Total»", "."])
    paragraph_of(doc.add_paragraph(), ["Your tender ranked ", "«Rank»", " of ", "«Ranked»", " with a total of ", "«Total»", ": quality ",
                                       "«Quality»", ", price ", "«Price_Score»", "."])
    table = doc.add_table(rows=0, cols=5)
    table.style = "Table Grid"
    cells = table.add_row().cells
    for cell, h in zip(cells, ["Ref", "Criterion", "Your score", "Descriptor", "Winning score"]):
        cell.text = h
    cells = table.add_row().cells
    paragraph_of(cells[0].paragraphs[0], ["«TableStart:Scores»", "«Reference»"])
    paragraph_of(cells[1].paragraphs[0], ["«Title»"])
    paragraph_of(cells[2].paragraphs[0], ["«Score»"])
    paragraph_of(cells[3].paragraphs[0], ["«Descriptor»"])
    paragraph_of(cells[4].paragraphs[0], ["«Winner_Score»", "«TableEnd:Scores»"])
    doc.add_paragraph("Yours sincerely,")
    paragraph_of(doc.sections[0].footer.paragraphs[0], ["Ref ", "«Tender_Reference»"])
    doc.save(path)


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
    build_mergefields(os.path.join(out, "letter-mergefields.docx"))
    build(os.path.join(out, "letter-docxtpl.docx"), lambda n: "{{ " + n + " }}", "{%tr for s in scores %}", "{%tr endfor %}",
          ["{{ s.reference }}", "{{ s.title }}", "{{ s.score }}", "{{ s.descriptor }}", "{{ s.winner_score }}"], True)


if __name__ == "__main__":
    main(sys.argv[1])
