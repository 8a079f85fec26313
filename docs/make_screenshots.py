#!/usr/bin/env python3
"""Rebuilds docs/checks.png: the example matrix with one criterion weighting changed (as a buyer
might in Excel), recalculated by LibreOffice, with its Checks sheet showing the failing check.

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


def main():
    with tempfile.TemporaryDirectory() as tmp:
        book = os.path.join(tmp, "checks.xlsx")
        wb = openpyxl.load_workbook(os.path.join(ROOT, "examples", "matrix.xlsx"))
        wb["Quality"]["E4"] = 31  # section 1 now sums to 101
        checks = wb["Checks"]
        wb.active = wb.sheetnames.index("Checks")
        for ws in wb.worksheets:
            ws.sheet_view.tabSelected = ws.title == "Checks"
        # One page, landscape: the block and its settings.
        checks.page_setup.orientation = "landscape"
        checks.page_setup.fitToWidth = 1
        checks.page_setup.fitToHeight = 1
        checks.sheet_properties.pageSetUpPr.fitToPage = True
        checks.print_area = "A1:H20"
        wb.save(book)
        profile = os.path.join(tmp, "profile")
        os.makedirs(os.path.join(profile, "user"))
        with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
            f.write(RECALC)
        # Only the Checks sheet is printed: the others get an empty print range.
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"false"}}',
             "--outdir", tmp, book],
            check=True, capture_output=True)
        pdf = os.path.join(tmp, "checks.pdf")
        pages = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
        count = int(next(l.split()[-1] for l in pages.splitlines() if l.startswith("Pages:")))
        # Find the page with the Checks block.
        for page in range(1, count + 1):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"],
                                  check=True, capture_output=True, text=True).stdout
            if "Weighting tolerance" in text:
                break
        else:
            sys.exit("no page shows the Checks sheet")
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "150", "-png", "-singlefile",
                        pdf, os.path.join(tmp, "checks")], check=True)
        # Trim the page's white margins.
        from PIL import Image, ImageChops
        img = Image.open(os.path.join(tmp, "checks.png")).convert("RGB")
        box = ImageChops.difference(img, Image.new("RGB", img.size, "white")).getbbox()
        img.crop((box[0] - 10, box[1] - 10, box[2] + 10, box[3] + 10)).save(os.path.join(HERE, "checks.png"), optimize=True)
        print("wrote", os.path.join(HERE, "checks.png"))


if __name__ == "__main__":
    main()
