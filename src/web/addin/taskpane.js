// tenderkit's task pane in Excel: the open workbook read through Office.js, the WebAssembly core
// (the same one the page with no server runs) deciding, and the figures written back through
// Excel's own API from the core's list of cell edits, the list `score -o` splices into a copy.
// Nothing is sent anywhere: the core runs in this pane.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};
const say = (text) => { $("status").textContent = text; };

/** The open workbook's bytes: getFileAsync's compressed file, slice by slice, then closed. */
function readWorkbook() {
  return new Promise((resolve, reject) => {
    Office.context.document.getFileAsync(Office.FileType.Compressed, { sliceSize: 4194304 }, (opened) => {
      if (opened.status !== Office.AsyncResultStatus.Succeeded) return reject(new Error(opened.error.message));
      const file = opened.value;
      const slices = [];
      const done = (err) => file.closeAsync(() => (err ? reject(err) : resolve(join(slices))));
      const next = (i) => {
        if (i === file.sliceCount) return done();
        file.getSliceAsync(i, (got) => {
          if (got.status !== Office.AsyncResultStatus.Succeeded) return done(new Error(got.error.message));
          slices.push(got.value.data);
          next(i + 1);
        });
      };
      next(0);
    });
  });
}

function join(slices) {
  const out = new Uint8Array(slices.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of slices) { out.set(s, at); at += s.length; }
  return out;
}

/** What the workbook is called, for messages: the last part of its address. */
function workbookName() {
  const url = (Office.context.document && Office.context.document.url) || "";
  const name = url.split(/[\\/]/).pop();
  return name && /\.xls[xm]$/i.test(name) ? name : "workbook.xlsx";
}

/** "Quality!D4", "'Price check'!E5:E9" → [sheet, range]. */
function splitPlace(place) {
  const bang = place.lastIndexOf("!");
  if (bang < 0) return null;
  return [place.slice(0, bang).replace(/^'(.*)'$/, "$1").replace(/''/g, "'"), place.slice(bang + 1)];
}

function selectPlace(place) {
  const at = splitPlace(place);
  if (!at) return Promise.resolve();
  return Excel.run(async (context) => {
    context.workbook.worksheets.getItem(at[0]).getRange(at[1]).select();
    await context.sync();
  }).catch((e) => say(`Excel could not go to ${place}: ${e.message}`));
}

let core;

async function check() {
  say("Reading the workbook…");
  const bytes = await readWorkbook();
  const answer = JSON.parse(core.validate(workbookName(), bytes, "{}", undefined));
  const out = $("findings");
  const report = answer.json || {};
  const findings = report.findings || [];
  if (!findings.length) {
    out.replaceChildren(el("p", {}, answer.exit === 0 ? "No findings: the matrix is valid." : (answer.messages || "").trim()));
  } else {
    const list = el("ul", { class: "findings" });
    for (const f of findings) {
      const item = el("li", { class: f.severity });
      item.append(el("strong", {}, `${f.severity}: `), f.message);
      if (f.fix) item.append(el("br"), el("span", { class: "fix" }, `Fix: ${f.fix}`));
      if (f.place && splitPlace(f.place)) {
        const go = el("button", { type: "button", class: "link" }, `Go to ${f.place}`);
        go.addEventListener("click", () => selectPlace(f.place));
        item.append(el("br"), go);
      }
      list.append(item);
    }
    out.replaceChildren(list);
  }
  const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  say(`${count(report.errors || 0, "error")}, ${count(report.warnings || 0, "warning")}`);
}

/** Why the edits cannot go into the open workbook cell by cell, or null. */
function cannotApply(edits) {
  if (edits.sheets.length) return `scoring adds whole sheets (${edits.sheets.join(", ")})`;
  if (edits.validations.length) return "scoring replaces data-validation rules";
  if (Object.keys(edits.names).length) return "scoring sets defined names";
  return null;
}

/** Applies the core's cell edits through Excel: nothing is written if any sheet is protected. */
async function apply(edits) {
  if (edits.cells.every((c) => c.kind === "result")) return;
  const bySheet = new Map();
  // A result beside a formula the cell keeps is Excel's to work out: nothing to write.
  for (const e of edits.cells.filter((c) => c.kind !== "result")) {
    if (!bySheet.has(e.sheet)) bySheet.set(e.sheet, []);
    bySheet.get(e.sheet).push(e);
  }
  await Excel.run(async (context) => {
    const sheets = [...bySheet.keys()].map((name) => [name, context.workbook.worksheets.getItem(name)]);
    for (const [, ws] of sheets) ws.protection.load("protected");
    await context.sync();
    const locked = sheets.filter(([, ws]) => ws.protection.protected).map(([name]) => name);
    if (locked.length) throw Object.assign(new Error(`protected: ${locked.join(", ")}`), { code: "tenderkitProtected" });
    for (const [name, ws] of sheets) {
      for (const e of bySheet.get(name)) {
        const range = ws.getRange(e.cell);
        if (e.kind === "number" || e.kind === "value") range.values = [[e.value]];
        // Text is text: a leading = must not become a formula.
        else if (e.kind === "text") range.values = [[String(e.value).startsWith("=") ? "'" + e.value : e.value]];
        else if (e.kind === "formula") range.formulas = [["=" + e.formula]];
        else if (e.kind === "clear") range.clear("Contents");
      }
    }
    await context.sync();
  });
}

function offerCopy(out, answer, why) {
  const f = (answer.files || [])[0];
  const parts = [el("p", {}, `The figures were not written into this workbook: ${why}. Download the scored copy instead (what tenderkit score -o writes).`)];
  if (f) {
    const blob = new Blob([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], { type: f.type });
    parts.push(el("a", { href: URL.createObjectURL(blob), download: f.name, class: "download" }, `Download ${f.name}`));
  }
  out.replaceChildren(...parts);
}

async function score() {
  say("Reading the workbook…");
  const bytes = await readWorkbook();
  const answer = JSON.parse(core.score(workbookName(), bytes, "{}", undefined, new Date().toISOString()));
  const out = $("ranking");
  const report = answer.json || {};
  if (answer.exit !== 0 || !report.scored) {
    out.replaceChildren(el("pre", {}, (answer.messages || answer.text || "Not scored").trim()));
    say("Not scored: check the matrix first");
    return;
  }
  const rows = report.ranking.standings.map((s) => el("li", {}, `${s.rank}. ${s.bidder}: ${s.total.toFixed(2)}`));
  const ranking = el("ol", { class: "ranking", "aria-label": "Ranking" }, ...rows);
  const why = cannotApply(answer.edits);
  if (why) { offerCopy(out, answer, why); out.prepend(ranking); say("Scored: download the scored copy"); return; }
  try {
    await apply(answer.edits);
  } catch (e) {
    const reason = e.code === "tenderkitProtected"
      ? `Excel will not take edits into a protected sheet (${e.message.replace("protected: ", "")})`
      : `Excel refused the edits (${e.message}); a shared or read-only workbook cannot take them`;
    offerCopy(out, answer, reason);
    out.prepend(ranking);
    say("Scored: download the scored copy");
    return;
  }
  const filled = answer.edits.cells.filter((e) => e.kind !== "result").length;
  const kept = answer.edits.cells.length - filled;
  out.replaceChildren(ranking, el("p", {}, filled
    ? `${filled} cells filled in, as tenderkit score writes them${kept ? `; ${kept} figures are the workbook's own formulas, which Excel works out` : ""}.`
    : "Nothing to fill in: every figure is a formula of this workbook, which Excel works out itself (tenderkit score -o caches the same figures)."));
  say(`Scored: ${report.ranking.standings[0].bidder} first`);
}

function guarded(button, work) {
  $(button).addEventListener("click", async () => {
    for (const b of document.querySelectorAll("button.action")) b.disabled = true;
    try { await work(); } catch (e) { say(`Stopped: ${e.message}`); }
    for (const b of document.querySelectorAll("button.action")) b.disabled = false;
  });
}

if (typeof WebAssembly !== "object" || typeof window.tenderkitReady === "undefined") {
  say("This version of Office cannot run tenderkit's core (no WebAssembly): use Microsoft 365's Excel, or the page tenderkit.html in a browser.");
} else {
  Office.onReady(async (info) => {
    if (info.host !== Office.HostType.Excel) {
      say("Open this add-in from Excel: it works on the workbook open there.");
      return;
    }
    core = await window.tenderkitReady;
    guarded("check", check);
    guarded("score", score);
    for (const b of document.querySelectorAll("button.action")) b.disabled = false;
    say("Ready: the workbook open in Excel");
  });
}
