#!/usr/bin/env python3
"""The page with no server: `serve`'s page (src/web/page/) made into one HTML file that runs the
WebAssembly core in the browser, with the core embedded, so it opens from a shared drive or an
intranet (file:// pages cannot load a .wasm beside them). With --addin, the Excel add-in
(src/web/addin/): its task pane the same way, its manifest for the address it is served from,
its icons, and Office.js from the pinned npm package (addin/node_modules, `npm ci --prefix addin`).

    tools/assemble-page.py GLUE.js CORE.wasm OUT.html
    tools/assemble-page.py --addin GLUE.js CORE.wasm OUTDIR https://HOST/PATH/ VERSION

GLUE.js and CORE.wasm are what `wasm-bindgen --target no-modules` wrote (tools/dist runs it).
"""
import base64
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGE = ROOT / "src" / "web" / "page"
ADDIN = ROOT / "src" / "web" / "addin"
OFFICE_JS = ROOT / "addin" / "node_modules" / "@microsoft" / "office-js" / "dist"


def boot(glue_path, wasm_path):
    """The scripts that start the core embedded in the page: window.tenderkitReady."""
    glue = pathlib.Path(glue_path).read_text(encoding="utf-8")
    core = base64.b64encode(pathlib.Path(wasm_path).read_bytes()).decode("ascii")
    return ("<script>\n" + glue + "\n</script>\n<script>\n"
            f'window.tenderkitReady = wasm_bindgen({{ module_or_path: Uint8Array.from(atob("{core}"), (c) => c.charCodeAt(0)) }})'
            ".then(() => wasm_bindgen);\n</script>\n")


def main(glue_path, wasm_path, out_path):
    html = (PAGE / "index.html").read_text(encoding="utf-8")
    css = (PAGE / "app.css").read_text(encoding="utf-8")
    script = (PAGE / "app.js").read_text(encoding="utf-8")

    def replace(old, new):
        nonlocal html
        if old not in html:
            sys.exit(f"assemble-page: '{old}' is not in index.html any more; update tools/assemble-page.py")
        html = html.replace(old, new)

    # Nothing may be fetched or sent: no connections at all, scripts and styles only inline.
    policy = ("default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; "
              "img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'")
    replace('<link rel="stylesheet" href="/app.css?token={{token}}">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n<style>\n{css}</style>')
    replace('<script src="/app.js?token={{token}}" defer></script>\n', "")
    replace('<body data-token="{{token}}" data-max-upload-mib="{{max_upload_mib}}">', '<body data-token="" data-backend="wasm">')
    replace("Uploads up to {{max_upload_mib}} MiB.", "It is read in this page: nothing is uploaded.")
    replace("Everything happens on this computer: nothing is sent anywhere.",
            "Everything happens in this page, on this computer: nothing is sent anywhere, nothing is installed.")
    if "{{" in html:
        sys.exit("assemble-page: a {{...}} placeholder of serve's page is left over")
    replace("</body>", boot(glue_path, wasm_path) + "<script>\n" + script + "\n</script>\n</body>")
    pathlib.Path(out_path).write_text(html, encoding="utf-8")


def icon(size, path):
    """The add-in's icon: a green square with a white tick, drawn at SIZE pixels."""
    from PIL import Image, ImageDraw
    img = Image.new("RGBA", (size, size), (0, 112, 60, 255))
    d = ImageDraw.Draw(img)
    w = max(2, size // 8)
    d.line([(size * 0.22, size * 0.52), (size * 0.42, size * 0.72), (size * 0.78, size * 0.3)], fill="white", width=w)
    img.save(path)


def addin(glue_path, wasm_path, out_dir, base, version):
    if not base.startswith("https://") or not base.endswith("/"):
        sys.exit(f"assemble-page: the add-in's address must be https://... ending in /, not '{base}'")
    if not (OFFICE_JS / "office.js").exists():
        sys.exit("assemble-page: Office.js is not installed: npm ci --prefix addin")
    out = pathlib.Path(out_dir)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    html = (ADDIN / "taskpane.html").read_text(encoding="utf-8")
    css = (ADDIN / "taskpane.css").read_text(encoding="utf-8")
    script = (ADDIN / "taskpane.js").read_text(encoding="utf-8")
    # Office.js and the pane's own scripts from this folder only; nothing fetched from elsewhere.
    policy = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'")
    for old, new in [
        ('<link rel="stylesheet" href="taskpane.css">', f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n<style>\n{css}</style>'),
        ('<script src="taskpane.js"></script>', boot(glue_path, wasm_path) + "<script>\n" + script + "\n</script>"),
    ]:
        if old not in html:
            sys.exit(f"assemble-page: '{old}' is not in taskpane.html any more; update tools/assemble-page.py")
        html = html.replace(old, new)
    (out / "taskpane.html").write_text(html, encoding="utf-8")
    manifest = (ADDIN / "manifest.xml").read_text(encoding="utf-8").replace("{{base}}", base).replace("{{version}}", version)
    (out / "manifest.xml").write_text(manifest, encoding="utf-8")
    icon(32, out / "icon-32.png")
    icon(64, out / "icon-64.png")
    # Office.js for Excel: the loader, Excel's host scripts and every language's strings.
    other_hosts = ("access", "onenote", "outlook", "powerpoint", "project", "word", "visio")
    def skip(folder, names):
        return [n for n in names if n.endswith((".debug.js", "-vsdoc.js", ".d.ts")) or n.startswith(other_hosts)]
    shutil.copytree(OFFICE_JS, out / "office", ignore=skip)


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--addin":
        addin(*sys.argv[2:])
    elif len(sys.argv) == 4:
        main(*sys.argv[1:])
    else:
        sys.exit(__doc__)
