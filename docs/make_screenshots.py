#!/usr/bin/env python3
"""Rebuilds the README's pictures from the example matrix, printed by LibreOffice:
docs/checks.png (one criterion weighting changed, as a buyer might in Excel, so the Checks sheet
shows a failing check) and docs/summary.png (the Summary sheet with its chart).

    python3 docs/make_screenshots.py        (needs openpyxl, LibreOffice and poppler-utils)
"""
import os
import subprocess
import sys
import tempfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>"""


def page_png(book, marker, png, tmp):
    """The page of `book`'s PDF that shows `marker`, as a trimmed PNG."""
    profile = os.path.join(tmp, "profile")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(RECALC)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", tmp, book],
        check=True, capture_output=True)
    pdf = os.path.splitext(book)[0] + ".pdf"
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    count = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    for page in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"],
                              check=True, capture_output=True, text=True).stdout
        if marker in text:
            break
    else:
        sys.exit(f"no page of {book} shows {marker!r}")
    stem = os.path.join(tmp, "page")
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "150", "-png", "-singlefile", pdf, stem],
                   check=True)
    # Trim the page's white margins and the footer.
    from PIL import Image, ImageChops
    img = Image.open(stem + ".png").convert("RGB")
    img = img.crop((0, 0, img.width, int(img.height * 0.9)))
    box = ImageChops.difference(img, Image.new("RGB", img.size, "white")).getbbox()
    img.crop((box[0] - 10, box[1] - 10, box[2] + 10, box[3] + 10)).save(png, optimize=True)
    print("wrote", png)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        book = os.path.join(tmp, "checks.xlsx")
        wb = openpyxl.load_workbook(os.path.join(ROOT, "examples", "matrix.xlsx"))
        wb["Quality"]["E4"] = 31  # section 1 now sums to 101
        wb.save(book)
        page_png(book, "Weighting tolerance", os.path.join(HERE, "checks.png"), tmp)
    with tempfile.TemporaryDirectory() as tmp:
        book = os.path.join(tmp, "matrix.xlsx")
        with open(os.path.join(ROOT, "examples", "matrix.xlsx"), "rb") as src, open(book, "wb") as dst:
            dst.write(src.read())
        page_png(book, "Total score: quality part and price part", os.path.join(HERE, "summary.png"), tmp)


if __name__ == "__main__":
    main()
