// A test double of Office.js at the boundary tenderkit's task pane uses, and nothing more:
// Office.onReady, the document's compressed file read in slices, and Excel.run with
// worksheets.getItem(name).getRange(address) (select, values, formulas, clear) and a sheet's
// protection. It returns the workbook the test put in window.__tkFixture and records what the
// pane did in window.__tk, for the test to hold against `tenderkit validate` and `score -o`.
(function () {
  "use strict";
  const fixture = window.__tkFixture;
  const bytes = Uint8Array.from(atob(fixture.base64), (c) => c.charCodeAt(0));
  const tk = (window.__tk = { selected: [], writes: [], slicesRead: 0, closed: 0, synced: 0 });
  const ok = (value) => ({ status: "succeeded", value });

  window.Office = {
    HostType: { Excel: "Excel", Word: "Word" },
    FileType: { Compressed: "compressed", Text: "text" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    onReady(callback) {
      const info = { host: fixture.host || "Excel", platform: "PC" };
      return Promise.resolve().then(() => (callback ? callback(info) : info));
    },
    context: {
      document: {
        url: "C:\\Users\\buyer\\Documents\\" + fixture.name,
        getFileAsync(type, options, callback) {
          if (type !== "compressed") return callback({ status: "failed", error: { message: "the double serves the compressed file only" } });
          // Smaller slices than asked for, as Office may give: the pane must join them.
          const size = Math.min(options.sliceSize || 4194304, 16384);
          const count = Math.max(1, Math.ceil(bytes.length / size));
          callback(ok({
            size: bytes.length,
            sliceCount: count,
            getSliceAsync(index, done) {
              tk.slicesRead++;
              done(ok({ index, data: Array.from(bytes.subarray(index * size, (index + 1) * size)), size }));
            },
            closeAsync(done) { tk.closed++; if (done) done(ok()); },
          }));
        },
      },
    },
  };

  function range(sheet, address) {
    const write = (what, value) => tk.writes.push({ sheet, cell: address, what, value });
    return {
      select() { tk.selected.push(sheet + "!" + address); },
      set values(v) { write("values", v); },
      set formulas(f) { write("formulas", f); },
      clear(applyTo) { write("clear", applyTo); },
    };
  }

  window.Excel = {
    async run(batch) {
      const context = {
        workbook: {
          worksheets: {
            getItem(name) {
              return {
                protection: { load() {}, get protected() { return (fixture.protected || []).includes(name); } },
                getRange(address) { return range(name, address); },
              };
            },
          },
        },
        async sync() { tk.synced++; },
      };
      return batch(context);
    },
  };
})();
