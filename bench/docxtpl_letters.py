#!/usr/bin/env python3
"""The peer: python-docx-template (docxtpl) filling the same letter for every bidder, from the
same data tenderkit fills its letters from (`tenderkit letters ... --data`).

    python3 bench/docxtpl_letters.py template.docx data.json OUTDIR
"""
import json
import os
import re
import sys

from docxtpl import DocxTemplate


def slug(name):
    return "-".join(p for p in re.sub(r"[^a-z0-9]", "-", name.lower()).split("-") if p) or "evaluator"


def main(template, data_path, out):
    letters = json.load(open(data_path))
    os.makedirs(out, exist_ok=True)
    for data in letters:
        doc = DocxTemplate(template)
        doc.render(data)
        doc.save(os.path.join(out, f"unsuccessful-{slug(data['bidder'])}.docx"))
    print(len(letters))


if __name__ == "__main__":
    main(*sys.argv[1:4])
