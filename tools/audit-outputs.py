#!/usr/bin/env python3
"""The strict Open XML check over every Word and Excel file the test suite made tenderkit write.

    TENDERKIT_AUDIT_DIR=/tmp/audit cargo test && python3 tools/audit-outputs.py /tmp/audit

The tests' runner (tests/common/mod.rs) keeps each output once, by content, in DIR/outputs with a
note of the command and the Office file it was made from (kept in DIR/inputs). Every output is
checked with openxml-audit for Microsoft 365; a violation (severity "error": its warnings, such as Excel
moving inline strings into a shared-strings table on the next save, are not) fails the check unless the file it was made
from has the same one (a buyer's template or workbook keeps what it came with: tenderkit must not
add to it), or it is listed in tools/openxml-audit-exceptions.json with the evidence that Word or
Excel itself writes that construct. Exit 1 on any other violation, listing each with its command.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def audit(folder):
    """openxml-audit's findings for every file of a folder: {file name: {(part, description)}}."""
    if not os.path.isdir(folder) or not os.listdir(folder):
        return {}
    run = subprocess.run(["openxml-audit", "-q", "-f", "microsoft365", "-m", "0", "-o", "json", "-r", folder],
                         capture_output=True, text=True)
    if not run.stdout.strip():
        sys.exit(f"openxml-audit gave no report for {folder}: {run.stderr}")
    out = {}
    for report in json.loads(run.stdout):
        name = os.path.basename(report["file"])
        out[name] = {(e.get("part_uri", ""), e.get("description", "")) for e in report.get("errors", []) if e.get("severity") == "error"}
    return out


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TENDERKIT_AUDIT_DIR", "")
    if not folder or not os.path.isdir(os.path.join(folder, "outputs")):
        sys.exit(f"no outputs collected in '{folder}' (run the tests with TENDERKIT_AUDIT_DIR set)")
    with open(os.path.join(HERE, "openxml-audit-exceptions.json")) as f:
        exceptions = {(e["part"], e["description"]) for e in json.load(f)["exceptions"]}
    outputs = audit(os.path.join(folder, "outputs"))
    inputs = audit(os.path.join(folder, "inputs"))
    bad = 0
    for name, errors in sorted(outputs.items()):
        with open(os.path.join(folder, "outputs", name + ".json")) as f:
            note = json.load(f)
        allowed = inputs.get(note.get("from") or "", set()) | exceptions
        new = sorted(e for e in errors if e not in allowed)
        if new:
            bad += 1
            print(f"{name}: {len(new)} violation(s) tenderkit added, from: {' '.join(note['command'])}")
            for part, description in new[:10]:
                print(f"    {part}: {description}")
    print(f"{len(outputs)} Word and Excel files tenderkit wrote in the tests checked; {bad} with violations of their own")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
