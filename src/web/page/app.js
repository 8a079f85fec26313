// tenderkit serve: the page. Every action posts the chosen files to the server, which runs the
// tenderkit command a buyer would type; this script only lays out what the command said.
"use strict";

const token = document.body.dataset.token;
// "serve": actions are posted to `tenderkit serve`; "wasm": the page with no server, whose
// actions the WebAssembly core works out in this tab (tools/build-page makes that page).
const backend = document.body.dataset.backend || "serve";
const $ = (id) => document.getElementById(id);
let matrixFile = null;

/** An element with attributes and children (strings become text, never HTML). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** Says `text` in the status region: each message is added (checking and ranking finish in
 *  either order, and both are said), the oldest dropped after a few. */
function announce(text) {
  const s = $("status");
  s.append(el("p", {}, text));
  while (s.children.length > 4) s.firstElementChild.remove();
}

function busy(out, what) {
  out.replaceChildren(el("p", { class: "hint busy", "data-what": what }, what + "…"));
  announce(what);
}

/** What the server's action pool says, shown in each waiting hint: the commands run a few at a
 *  time (one per core), and an action may wait its turn. */
function queued(q) {
  const text = q.waiting > 0 || q.running >= q.pool
    ? `Busy: ${q.running} action${q.running === 1 ? "" : "s"} running, ${q.waiting} waiting; this one is queued and starts when one finishes…`
    : null;
  for (const h of document.querySelectorAll(".hint.busy")) h.textContent = text || h.dataset.what + "…";
  return text;
}

async function watchQueue() {
  try {
    const r = await fetch("/api/queue", { headers: { "X-Tenderkit-Token": token } });
    if (r.ok) queued(await r.json());
  } catch (e) { /* the action's own answer says what went wrong */ }
}

function failure(out, message) {
  out.replaceChildren(el("div", { class: "panel-error", role: "alert" }, el("p", {}, message)));
}

const number = (x, places = 2) => Number(x).toFixed(places);
const money = (x) => "£" + Number(x).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Posts a form's fields and files (plus the matrix from step 1) to an action; the JSON answer. */
async function post(action, data, withMatrix = true) {
  if (withMatrix && matrixFile) {
    data.set("matrix", matrixFile);
    // Where a matrix of the buyer's own keeps things: the layout file, or the layout form.
    const layout = $("layout-file").files[0];
    if (layout && !data.has("layout")) data.set("layout", layout);
    for (const [k, v] of corrections()) if (!data.has(k)) data.set(k, v);
  }
  if (backend === "wasm") return local(action, data);
  let response;
  const watching = setInterval(watchQueue, 1000);
  try {
    response = await fetch("/api/" + action, { method: "POST", body: data, headers: { "X-Tenderkit-Token": token } });
  } catch (e) {
    throw new Error("The tenderkit server did not answer: is `tenderkit serve` still running?");
  } finally {
    clearInterval(watching);
  }
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

/** The page with no server: an action worked out by the WebAssembly core, answered in the shape
 *  `serve` answers (exit, json, text, messages, files). */
async function local(action, data) {
  const core = await window.tenderkitReady;
  const fields = {}, files = {};
  for (const [k, v] of data.entries()) {
    if (typeof v === "string") fields[k] = v; else if (v.name) files[k] = v;
  }
  const bytes = async (f) => new Uint8Array(await f.arrayBuffer());
  // Several files for one call: an index of [field, name, length] and their bytes one after
  // another in one buffer (the core's `inputs` reads it back).
  const pack = async (given) => {
    const parts = await Promise.all(given.map(([, f]) => bytes(f)));
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    return { index: JSON.stringify(given.map(([field, f], i) => [field, f.name, parts[i].length])), all };
  };
  let text;
  // The page's own date (the buyer's day), where the command would read the clock.
  const today = new Date().toISOString().slice(0, 10);
  if (action === "text") {
    if (!files.tender) throw new Error("choose the tender definition (tender.toml) first");
    const responses = files.responses ? await bytes(files.responses) : undefined;
    text = core.text(files.tender.name, await bytes(files.tender), fields.which || "notice",
      files.responses ? files.responses.name : undefined, responses, today);
    return answered(text);
  }
  if (action === "conflicts") {
    if (!files.tender) throw new Error("choose the tender definition (tender.toml) first");
    if (!files.matrix) throw new Error("choose the moderated matrix in step 1 first");
    const layout = files.layout ? await files.layout.text() : undefined;
    return answered(core.conflicts(files.tender.name, await bytes(files.tender), files.matrix.name, await bytes(files.matrix),
      JSON.stringify(fields), layout, today));
  }
  if (action === "report") {
    if (!files.tender) throw new Error("choose the tender definition (tender.toml) first");
    if (!files.matrix) throw new Error("choose the moderated matrix in step 1 first");
    const layout = files.layout ? await files.layout.text() : undefined;
    const responses = files.responses ? await bytes(files.responses) : undefined;
    return answered(core.report(files.tender.name, await bytes(files.tender), files.matrix.name, await bytes(files.matrix),
      files.responses ? files.responses.name : undefined, responses, JSON.stringify(fields), layout, today));
  }
  if (action === "letters") {
    const { index, all } = await pack(Object.entries(files));
    // The same lines of JSON serve streams, read by the same code.
    return new Response(core.letters(index, all, JSON.stringify(fields), today));
  }
  if (!files.matrix) throw new Error("choose a matrix workbook first");
  const matrix = await bytes(files.matrix);
  const layout = files.layout ? await files.layout.text() : undefined;
  if (action === "collect") {
    const returns = data.getAll("returns").filter((f) => typeof f !== "string" && f.name);
    if (!returns.length) throw new Error("choose the evaluators' returns first");
    const { index, all } = await pack(returns.map((f) => ["returns", f]));
    const panel = files.panel ? await bytes(files.panel) : undefined;
    text = core.collect(files.matrix.name, matrix, index, all, files.panel ? files.panel.name : undefined, panel,
      JSON.stringify(fields), layout, new Date().toISOString().replace(/\.\d+Z$/, "Z"));
  } else if (action === "sensitivity") {
    text = core.sensitivity(files.matrix.name, matrix, JSON.stringify(fields), layout);
  } else if (action === "rescale") {
    text = core.rescale(files.matrix.name, matrix, JSON.stringify(fields), layout);
  } else if (action === "validate") {
    text = core.validate(files.matrix.name, matrix, JSON.stringify(fields), layout);
  } else if (action === "score") {
    // The page's clock, for a moderated workbook's audit trail (to the second, as the command writes it).
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    text = core.score(files.matrix.name, matrix, JSON.stringify(fields), layout, now);
  } else {
    throw new Error("This step is not in the page with no server yet: use tenderkit serve, or the command, for it.");
  }
  return answered(text);
}

/** The core's answer as `post` returns the server's: a refusal is thrown, as a 4xx is. */
function answered(text) {
  const answer = JSON.parse(text);
  if (answer.error) throw new Error(answer.error);
  return { ok: true, json: async () => answer };
}

function fileLink(file, id) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.type }));
  return el("a", { class: "download", id, href: url, download: file.name }, "Download " + file.name);
}

/** Links to the files a command wrote; the first has the id `ID-download`. */
function downloads(answer, id) {
  return (answer.files || []).map((f, i) => fileLink(f, i === 0 ? id + "-download" : null));
}

/** The command's own messages (stderr), when it printed any. */
function messages(answer) {
  const text = (answer.messages || "").trim();
  return text ? el("pre", { "aria-label": "Messages from tenderkit" }, text) : null;
}

// ---- 1. Findings ----------------------------------------------------------------------------

const SEVERITIES = [["error", "Errors"], ["warning", "Warnings"], ["note", "Notes"]];

function findingsView(findings) {
  const parts = [];
  for (const [severity, heading] of SEVERITIES) {
    const group = findings.filter((f) => (f.severity || "error") === severity);
    if (!group.length) continue;
    parts.push(el("h3", {}, `${heading} (${group.length})`));
    parts.push(el("ul", { class: "findings" }, group.map((f) => el("li", { class: "finding " + severity },
      el("span", { class: "severity " + severity }, severity),
      f.place ? el("span", { class: "place" }, f.place + ": ") : null,
      f.message,
      f.fix ? el("div", {}, el("strong", {}, "Fix: "), f.fix) : null))));
  }
  return parts;
}

function showFindings(answer) {
  const out = $("findings");
  const result = answer.json;
  const layout = answer.layout || {};
  const found = layout.exit === 0;
  // Always there to check; open when tenderkit could not find the tables.
  const fix = $("layout-fix");
  fix.hidden = false;
  if (!found) fix.open = true;
  if (!result) {
    failure(out, (answer.messages || answer.text || "tenderkit could not read this workbook").trim());
    return;
  }
  const findings = result.findings || [];
  const parts = [];
  if (result.split && result.split.found) parts.push(el("p", {}, "Split: " + result.split.found));
  if (!findings.length) {
    parts.unshift(el("div", { class: "panel-ok" }, el("p", {}, el("strong", {}, "No problems found"), " in " + matrixFile.name + ".")));
    announce("No problems found in " + matrixFile.name);
  } else {
    const e = result.errors || 0, w = result.warnings || 0;
    parts.unshift(el("div", { class: e ? "panel-error" : "panel-ok" }, el("p", {}, el("strong", {}, `${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"}`), " in " + matrixFile.name)));
    parts.push(...findingsView(findings));
    announce(`${e} errors and ${w} warnings in ${matrixFile.name}`);
  }
  out.replaceChildren(...parts);
  const lo = $("layout-out");
  lo.replaceChildren();
  if (layout.toml) {
    lo.append(el("h3", {}, "The layout file"), el("pre", {}, layout.toml), ...downloads(layout, "layout"));
    prefill(layout.toml);
  } else if (!found) {
    lo.append(messages(layout) || "");
  }
}

/** Puts what the layout file says into the form, where the buyer has not typed. */
function prefill(toml) {
  let section = "";
  for (const line of toml.split("\n")) {
    const head = line.match(/^\[(\w+)\]/);
    if (head) { section = head[1]; continue; }
    const kv = line.match(/^(\w+)\s*=\s*"?([^"#]*?)"?\s*(#.*)?$/);
    if (!kv) continue;
    const input = document.querySelector(`#layout-form [name="layout.${section}.${kv[1]}"]`);
    if (input && !input.dataset.edited) input.value = kv[2].trim();
  }
}

// ---- 2. Ranking ------------------------------------------------------------------------------

function rankingView(answer) {
  const r = answer.json;
  if (!r || !r.scored) {
    const parts = [el("div", { class: "panel-error", role: "alert" }, el("p", {}, "Not ranked: the matrix must be valid and complete before bids are ranked."))];
    if (r && r.findings) parts.push(...findingsView(r.findings));
    else parts.push(messages(answer) || el("pre", {}, answer.text));
    return parts;
  }
  const ranking = r.ranking;
  const perPoint = r.per_point;
  const name = (bid) => (ranking.standings.find((s) => s.bid === bid) || {}).bidder;
  const meat = ranking.meat.map(name);
  const parts = [];
  if (meat.length === 1) {
    const top = ranking.standings[0];
    parts.push(el("p", { class: "meat" }, "Most Economically Advantageous Tender: " + meat[0] +
      (perPoint ? ` (${money(top.total)} per quality point)` : ` (total ${number(top.total)})`)));
  } else if (meat.length > 1) {
    parts.push(el("p", { class: "meat" }, `No single Most Economically Advantageous Tender: ${meat.join(" and ")} are tied. Resolve the tie by the method published in the ITT before award.`));
  } else {
    parts.push(el("p", { class: "meat" }, "No bid passes: there is no Most Economically Advantageous Tender."));
  }
  const q = r.split.quality, p = r.split.price;
  const head = ["Rank", "Bidder", "Quality /100", perPoint ? null : `Quality (${number(q, 0)}%)`, "Whole-life cost", perPoint ? null : `Price (${number(p, 0)}%)`, perPoint ? "£ per quality point" : "Total"].filter((h) => h !== null);
  const rows = ranking.standings.map((s) => el("tr", {},
    el("td", {}, s.rank + (s.tied ? "=" : "")),
    el("th", { scope: "row" }, s.bidder + (s.abnormally_low ? " (abnormally low price: ask the bidder to explain)" : "")),
    el("td", { class: "num" }, number(s.quality)),
    perPoint ? null : el("td", { class: "num" }, number(s.quality_weighted)),
    el("td", { class: "num" }, money(s.whole_life_cost)),
    perPoint ? null : el("td", { class: "num" }, number(s.price_score)),
    el("td", { class: "num" }, perPoint ? money(s.total) : number(s.total))));
  parts.push(el("table", { id: "ranking-table" },
    el("caption", {}, `Ranked bids (${ranking.standings.length})`),
    el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { scope: "col", class: i >= 2 ? "num" : null }, h)))),
    el("tbody", {}, rows)));
  const tiedRanks = [...new Set(ranking.standings.filter((s) => s.tied && s.rank > 1).map((s) => s.rank))];
  for (const rank of tiedRanks) {
    parts.push(el("p", {}, `Tie at rank ${rank}: ` + ranking.standings.filter((s) => s.rank === rank).map((s) => s.bidder).join(", ")));
  }
  if (ranking.failed.length) {
    parts.push(el("h3", {}, `Failed, not ranked (${ranking.failed.length})`));
    parts.push(el("ul", { id: "failed" }, ranking.failed.map((f) => el("li", {}, `${f.bidder} (quality ${number(f.quality)}): `,
      el("ul", {}, f.reasons.map((reason) => el("li", {}, reason)))))));
  }
  if (!perPoint && ranking.standings.length) parts.push(chart(ranking.standings));
  if (r.findings && r.findings.length) {
    parts.push(el("h3", {}, "Findings"), ...findingsView(r.findings));
  }
  parts.push(...downloads(answer, "scored"));
  return parts;
}

/** Stacked bars, one per ranked bid: the quality part and the price part of its total. */
function chart(standings) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs, ...kids) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const k of kids) e.append(k);
    return e;
  };
  const shown = standings.slice(0, 40);
  const bar = 22, gap = 8, left = 260, width = 420, top = 34;
  const height = top + shown.length * (bar + gap) + 30;
  const scale = (x) => (x / 100) * width;
  const root = svg("svg", { class: "chart", id: "ranking-chart", role: "img", "aria-labelledby": "chart-title chart-desc", viewBox: `0 0 ${left + width + 70} ${height}`, width: "100%" });
  root.append(svg("title", { id: "chart-title" }, "Total score of each ranked bid: quality part and price part"));
  root.append(svg("desc", { id: "chart-desc" }, shown.map((s) => `${s.bidder}: quality ${number(s.quality_weighted)}, price ${number(s.price_score)}, total ${number(s.total)}`).join("; ")));
  root.append(svg("rect", { x: left, y: 6, width: 14, height: 14, fill: "#1d70b8" }), svg("text", { x: left + 20, y: 18 }, "Quality part"));
  root.append(svg("rect", { x: left + 130, y: 6, width: 14, height: 14, fill: "#f47738", stroke: "#0b0c0c" }), svg("text", { x: left + 150, y: 18 }, "Price part"));
  shown.forEach((s, i) => {
    const y = top + i * (bar + gap);
    const label = s.bidder.length > 38 ? s.bidder.slice(0, 36) + "…" : s.bidder;
    const qw = scale(Math.max(0, s.quality_weighted)), pw = scale(Math.max(0, s.price_score));
    root.append(svg("text", { x: left - 8, y: y + 16, "text-anchor": "end" }, label));
    root.append(svg("rect", { class: "quality-part", x: left, y, width: qw, height: bar, fill: "#1d70b8" }));
    root.append(svg("rect", { class: "price-part", x: left + qw, y, width: pw, height: bar, fill: "#f47738", stroke: "#0b0c0c" }));
    root.append(svg("text", { x: left + qw + pw + 6, y: y + 16 }, number(s.total)));
  });
  const figure = el("figure", {}, el("figcaption", {}, shown.length < standings.length ? `The first ${shown.length} bids` : "Each ranked bid's total"));
  figure.prepend(root);
  return figure;
}

// ---- Step 1 and 2: the matrix is checked and ranked as soon as it is chosen ------------------

async function checkAndRank() {
  if (!matrixFile) return;
  const form = $("matrix-form");
  const options = new FormData(form);
  options.delete("matrix");
  busy($("findings"), "Checking " + matrixFile.name);
  busy($("ranking-out"), "Ranking the bids in " + matrixFile.name);
  const copy = () => { const d = new FormData(); for (const [k, v] of options) d.append(k, v); return d; };
  const checking = post("validate", copy()).then((r) => r.json()).then(showFindings).catch((e) => failure($("findings"), e.message));
  const ranking = post("score", copy()).then((r) => r.json()).then((answer) => {
    $("ranking-out").replaceChildren(...rankingView(answer));
    const r = answer.json;
    const meat = r && r.scored ? r.ranking.meat.map((b) => r.ranking.standings.find((s) => s.bid === b).bidder) : [];
    announce(r && r.scored ? "Ranking ready" + (meat.length === 1 ? ": the Most Economically Advantageous Tender is " + meat[0] : "") : "Not ranked: see the findings");
  }).catch((e) => failure($("ranking-out"), e.message));
  await Promise.all([checking, ranking]);
}

/** The layout form's fields the buyer changed: what was found is shown, only corrections are sent. */
function corrections() {
  return [...$("layout-form").querySelectorAll("input")].filter((i) => i.dataset.edited && i.value.trim()).map((i) => [i.name, i.value.trim()]);
}
$("layout-form").addEventListener("input", (e) => { e.target.dataset.edited = "1"; });

function choose(file) {
  matrixFile = file;
  // Another workbook: what was found in the last one means nothing for it.
  for (const i of $("layout-form").querySelectorAll("input")) { i.value = ""; delete i.dataset.edited; }
  $("layout-fix").open = false;
  // Results made from the last workbook are not this one's: never offer them beside it.
  for (const id of ["sensitivity-out", "rescale-out", "panel-out", "conflicts-out", "report-out", "letters-out"]) $(id).replaceChildren();
  checkAndRank();
}

$("matrix-file").addEventListener("change", (e) => { if (e.target.files[0]) choose(e.target.files[0]); });
$("matrix-form").addEventListener("submit", (e) => { e.preventDefault(); checkAndRank(); });
$("layout-form").addEventListener("submit", (e) => { e.preventDefault(); checkAndRank(); });
const drop = $("matrix-form");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer.files[0];
  if (file) choose(file);
});

function needMatrix(out) {
  if (matrixFile) return true;
  failure(out, "Choose a matrix workbook in step 1 first.");
  $("matrix-file").focus();
  return false;
}

// ---- 3. Rescale ------------------------------------------------------------------------------

$("sensitivity-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = $("sensitivity-out");
  if (!needMatrix(out)) return;
  busy(out, "Testing the ranking of " + matrixFile.name);
  try {
    const answer = await (await post("sensitivity", new FormData(e.target))).json();
    if (answer.exit !== 0) { failure(out, (answer.messages || answer.text || "No report").trim()); return; }
    out.replaceChildren(el("pre", { id: "sensitivity-report", tabindex: "0", "aria-label": "The sensitivity report (scrolls)" }, answer.text.trim()), ...downloads(answer, "sensitivity"));
    announce("The sensitivity report is ready");
  } catch (err) { failure(out, err.message); }
});

$("rescale-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = $("rescale-out");
  if (!needMatrix(out)) return;
  if (!$("rescale-to").value.trim()) { failure(out, "Give the new scale, for example 0-10."); $("rescale-to").focus(); return; }
  busy(out, "Rescaling " + matrixFile.name);
  try {
    const answer = await (await post("rescale", new FormData(e.target))).json();
    out.replaceChildren(el("pre", { id: "rescale-report" }, answer.text.trim() || "(nothing printed)"), messages(answer) || "", ...downloads(answer, "rescale"));
    announce(answer.exit === 0 ? "Rescaled: weighted scores unchanged" : "Rescaled, with points to check: see the report");
  } catch (err) { failure(out, err.message); }
});

// ---- 4. Panel ----------------------------------------------------------------------------------

$("panel-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = $("panel-out");
  if (!needMatrix(out)) return;
  if (!$("returns-files").files.length) { failure(out, "Choose the evaluators' returns first."); $("returns-files").focus(); return; }
  busy(out, "Collecting the returns");
  try {
    const answer = await (await post("collect", new FormData(e.target))).json();
    const r = answer.json;
    const parts = [];
    if (r && r.collected !== undefined) {
      parts.push(el("div", { class: r.errors ? "panel-error" : "panel-ok" }, el("p", {}, el("strong", {}, `Collected ${r.collected} of ${r.collected + r.refused} returns`), r.findings.length ? ` with ${r.findings.length} flags for the moderation meeting` : ", no flags")));
      parts.push(...findingsView(r.findings));
      parts.push(el("p", {}, "Next: agree the scores at the moderation meeting, record them in the Moderation sheet's 'Agreed score' column, then check and rank the moderated workbook in step 1."));
    } else {
      parts.push(el("div", { class: "panel-error", role: "alert" }, el("pre", {}, (answer.messages || answer.text).trim())));
    }
    out.replaceChildren(...parts, ...downloads(answer, "panel"));
    announce(r && r.collected !== undefined ? `Collected ${r.collected} returns` : "The returns were not collected");
  } catch (err) { failure(out, err.message); }
});

/** Step 4's documents (the conflict-of-interest record, the evaluation report): the form's
 *  tender with the matrix of step 1, the text shown and the Word document offered. */
function documentForm(action, { busyText, refused, label, ready }) {
  $(`${action}-form`).addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = $(`${action}-out`);
    if (!needMatrix(out)) return;
    if (!$(`${action}-tender`).files.length) { failure(out, "Choose the tender definition (tender.toml) first."); $(`${action}-tender`).focus(); return; }
    busy(out, busyText);
    try {
      const data = new FormData(e.target);
      // An optional file not chosen is not sent.
      for (const [k, v] of [...data.entries()]) if (v instanceof File && !v.name) data.delete(k);
      const answer = await (await post(action, data)).json();
      if (answer.exit !== 0) { failure(out, (answer.messages || answer.text || refused).trim()); return; }
      out.replaceChildren(el("pre", { id: `${action}-text`, tabindex: "0", "aria-label": label }, answer.text.trim()), ...downloads(answer, action));
      announce(ready);
    } catch (err) { failure(out, err.message); }
  });
}

documentForm("conflicts", { busyText: "Writing the record", refused: "No record written", label: "The record (scrolls)", ready: "The conflict of interest record is ready" });
documentForm("report", { busyText: "Writing the evaluation report", refused: "No report written", label: "The evaluation report (scrolls)", ready: "The evaluation report is ready" });

// ---- 5. Letters --------------------------------------------------------------------------------

function templateView(check) {
  const r = check.json;
  if (!r) return [el("h3", {}, "Template check"), el("pre", {}, (check.messages || check.text).trim())];
  const problems = r.problems || [];
  return [el("h3", {}, "Template check"),
    el("div", { class: problems.length ? "panel-error" : "panel-ok" }, el("p", {}, problems.length ? `${problems.length} problem${problems.length === 1 ? "" : "s"} in the template` : `The template's ${(r.fields || r.tags || []).length} fields are all known`)),
    problems.length ? el("ul", {}, problems.map((p) => el("li", {}, [p.place, p.tag, p.message].filter(Boolean).join(": ")))) : null]
    // The parts go to replaceChildren, which would show a null as the word "null".
    .filter(Boolean);
}

$("letters-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = $("letters-out");
  const progress = $("letters-progress"), bar = $("letters-bar");
  if (!$("letters-tender").files.length) { failure(out, "Choose the tender definition (tender.toml) first."); $("letters-tender").focus(); return; }
  busy(out, "Writing letters");
  bar.value = 0; bar.removeAttribute("value");
  progress.hidden = false;
  const parts = [];
  try {
    const response = await post("letters", new FormData(e.target));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "", done = null;
    for (;;) {
      const { value, done: end } = await reader.read();
      if (value) buffer += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const event = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (event.progress) {
          const [n, of] = event.progress;
          bar.max = of; bar.value = n;
          $("letters-bar-label").textContent = `Writing letters: ${n} of ${of}`;
        } else if (event.queued) {
          $("letters-bar-label").textContent = queued(event.queued) || "Writing letters";
        } else if (event.template_check) {
          parts.push(...templateView(event.template_check));
          out.replaceChildren(...parts);
        } else if (event.done) {
          done = event.done;
        } else if (event.error) {
          throw new Error(event.error);
        }
      }
      if (end) break;
    }
    progress.hidden = true;
    if (done && done.exit === 0) {
      parts.push(el("div", { class: "panel-ok" }, el("pre", {}, done.text.trim())), ...downloads(done, "letters"));
      announce("Letters written: the zip is ready to download");
    } else if (done) {
      parts.push(el("div", { class: "panel-error", role: "alert" }, el("p", {}, "No letters written:"), el("pre", {}, (done.messages || done.text).trim())));
      announce("No letters written");
    } else {
      parts.push(el("div", { class: "panel-error", role: "alert" }, el("p", {}, "No letters written: the template check above found problems.")));
      announce("No letters written: the template has problems");
    }
    out.replaceChildren(...parts);
  } catch (err) {
    progress.hidden = true;
    failure(out, err.message);
  }
});

// ---- 6. Notice, SPD and exclusion text -----------------------------------------------------------

$("text-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = $("text-out");
  if (!$("text-tender").files.length) { failure(out, "Choose the tender definition (tender.toml) first."); $("text-tender").focus(); return; }
  busy(out, "Writing the text");
  try {
    const answer = await (await post("text", new FormData(e.target), false)).json();
    if (answer.exit !== 0 && !answer.text.trim()) {
      failure(out, (answer.messages || "tenderkit wrote no text").trim());
      return;
    }
    const area = el("textarea", { id: "text-area", readonly: "", "aria-label": "The text" });
    area.value = answer.text;
    const copy = el("button", { type: "button", class: "secondary" }, "Copy the text");
    copy.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(area.value); } catch (err) { area.select(); document.execCommand("copy"); }
      announce("Copied to the clipboard");
    });
    out.replaceChildren(area, copy, messages(answer) || "", el("div", {}, ...downloads(answer, "text")));
    announce("The text is ready");
  } catch (err) { failure(out, err.message); }
});
