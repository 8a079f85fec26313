#!/usr/bin/env python3
"""The peer: what an analyst would script with openpyxl to do tenderkit's `score` job on the
same Evaluation Matrix: read it, check the weightings, compute the weighted scores, quality
totals, whole-life costs, price scores, totals and ranks, and save the scored workbook.
Prints the ranking as JSON for the comparison.

    python3 bench/openpyxl_score.py matrix.xlsx scored.xlsx
"""
import json
import sys

from openpyxl import load_workbook


def main(src, dst):
    wb = load_workbook(src)
    tender, quality, price, summary = wb["Tender"], wb["Quality"], wb["Price"], wb["Summary"]
    price_weight = tender["B8"].value
    quality_weight = tender["B9"].value
    scale_max = max(c.value for c in tender["A"][14:] if isinstance(c.value, (int, float)))
    if abs(price_weight + quality_weight - 100) >= 0.005:
        sys.exit("price + quality must be 100")

    # Criteria rows run from row 4 to the Total row; bidder pairs start at column H.
    rows = []
    r = 4
    while quality.cell(row=r, column=3).value not in (None, "Total"):
        rows.append(r)
        r += 1
    total_row = r
    sections = {}
    section_weight = {}
    for r in rows:
        name = quality.cell(row=r, column=1).value
        if name not in section_weight:
            section_weight[name] = quality.cell(row=r, column=4).value
        sections.setdefault(name, []).append(quality.cell(row=r, column=5).value)
    if abs(sum(section_weight.values()) - 100) >= 0.005:
        sys.exit("section weights must sum to 100")
    for name, weights in sections.items():
        if abs(sum(weights) - 100) >= 0.005:
            sys.exit(f"criterion weights in {name} must sum to 100")
    effective = [section_weight[quality.cell(row=r, column=1).value] * quality.cell(row=r, column=5).value / 100 for r in rows]

    bidders = []
    col = 8
    while quality.cell(row=2, column=col).value:
        bidders.append((quality.cell(row=2, column=col).value, col))
        col += 2
    results = []
    for i, (name, col) in enumerate(bidders):
        total_q = 0.0
        for k, r in enumerate(rows):
            score = quality.cell(row=r, column=col).value
            if score not in (0, 1, 2, 3, 4):
                sys.exit(f"bad score at row {r}")
            weighted = score / scale_max * effective[k]
            quality.cell(row=r, column=col + 1).value = weighted
            total_q += weighted
        quality.cell(row=total_row, column=col + 1).value = total_q
        prow = 4 + i
        wlc = sum(price.cell(row=prow, column=c).value for c in (2, 3, 4))
        price.cell(row=prow, column=5).value = wlc
        results.append({"bidder": name, "quality": total_q, "wlc": wlc, "row": prow})
    lowest = min(x["wlc"] for x in results)
    for x in results:
        x["price"] = lowest / x["wlc"] * price_weight
        x["total"] = x["quality"] * quality_weight / 100 + x["price"]
        price.cell(row=x["row"], column=6).value = x["price"]
    for x in results:
        x["rank"] = 1 + sum(1 for y in results if y["total"] > x["total"] + 0.0000005)
        srow = x["row"]
        summary.cell(row=srow, column=2).value = x["quality"]
        summary.cell(row=srow, column=3).value = x["quality"] * quality_weight / 100
        summary.cell(row=srow, column=4).value = x["price"]
        summary.cell(row=srow, column=5).value = x["total"]
        summary.cell(row=srow, column=6).value = x["rank"]
    wb.save(dst)
    print(json.dumps([{"bidder": x["bidder"], "total": x["total"], "rank": x["rank"]} for x in results]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
