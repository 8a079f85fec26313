#!/usr/bin/env python3
"""The page with no server: `serve`'s page (src/web/page/) made into one HTML file that runs the
WebAssembly core in the browser, with the core embedded, so it opens from a shared drive or an
intranet (file:// pages cannot load a .wasm beside them).

    tools/assemble-page.py GLUE.js CORE.wasm OUT.html

GLUE.js and CORE.wasm are what `wasm-bindgen --target no-modules` wrote (tools/build-page runs it).
"""
import base64
import pathlib
import sys

PAGE = pathlib.Path(__file__).resolve().parent.parent / "src" / "web" / "page"


def main(glue_path, wasm_path, out_path):
    html = (PAGE / "index.html").read_text(encoding="utf-8")
    css = (PAGE / "app.css").read_text(encoding="utf-8")
    script = (PAGE / "app.js").read_text(encoding="utf-8")
    glue = pathlib.Path(glue_path).read_text(encoding="utf-8")
    core = base64.b64encode(pathlib.Path(wasm_path).read_bytes()).decode("ascii")

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
    boot = ("<script>\n" + glue + "\n</script>\n<script>\n"
            f'window.tenderkitReady = wasm_bindgen({{ module_or_path: Uint8Array.from(atob("{core}"), (c) => c.charCodeAt(0)) }})'
            ".then(() => wasm_bindgen);\n</script>\n<script>\n" + script + "\n</script>\n</body>")
    replace("</body>", boot)
    pathlib.Path(out_path).write_text(html, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
