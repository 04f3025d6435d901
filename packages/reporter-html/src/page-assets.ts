/** The page's own style and script, inlined: the report opens offline and loads nothing. */

export const PAGE_STYLE = `
:root { --ok: #1a7f37; --nok: #cf222e; --na: #9a6700; --error: #8250df; --muted: #57606a; --line: #d0d7de; --changed: #ffebe9; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 1400px; color: #1f2328; }
h1 { font-size: 1.4rem; margin: .2rem 0 1rem; }
h4 { margin: .8rem 0 .3rem; font-size: .95rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .2rem .45rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; min-width: 3.6em; text-align: center; border-radius: 1em; padding: 0 .5em; color: #fff; font-weight: 600; font-size: .8rem; }
.badge.ok { background: var(--ok); } .badge.nok { background: var(--nok); } .badge.na { background: var(--na); } .badge.error { background: var(--error); }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; margin: 1rem 0; position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid var(--line); z-index: 1; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .2rem .6rem .4rem; margin: 0; }
legend { font-size: .8rem; color: var(--muted); }
label { margin-right: .5rem; white-space: nowrap; }
.shown { margin: 0 0 .3rem; color: var(--muted); }
details.tc { border: 1px solid var(--line); border-radius: 6px; margin: .35rem 0; }
details.tc > summary { cursor: pointer; padding: .35rem .6rem; list-style-position: outside; }
details.tc[data-result="NOK"] { border-left: 4px solid var(--nok); }
details.tc[data-result="N/A"] { border-left: 4px solid var(--na); }
details.tc[data-result="ERROR"] { border-left: 4px solid var(--error); }
.name { font-weight: 600; } .where, .dur { color: var(--muted); margin-left: .5rem; font-size: .9em; }
.reason { color: #424a53; margin: .1rem 0 0 4.3em; white-space: pre-wrap; overflow-wrap: anywhere; }
.body { padding: 0 .8rem .8rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .4rem 0; }
dt { color: var(--muted); } dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
table.diff td, table.columns td { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
td.key { background: #f6f8fa; }
td.changed { background: var(--changed); color: #82071e; font-weight: 600; }
td.null { color: var(--muted); font-style: italic; }
td.absent { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #f6f8fa 4px, #f6f8fa 8px); }
th.side, td.side { border-left: 2px solid #8c959f; }
tr.nokrow td { background: #fff8f8; }
.more, .muted { color: var(--muted); }
[hidden] { display: none !important; }
`;

export const PAGE_SCRIPT = `
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var cases = Array.prototype.slice.call(document.querySelectorAll("details.tc"));
  var shown = document.getElementById("shown");
  function checked(name) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (box) { if (box.checked) out[box.value] = true; });
    return out;
  }
  function apply() {
    var results = checked("result"), domains = checked("domain"), types = checked("type");
    var text = form.elements.namedItem("text").value.trim().toLowerCase();
    var visible = 0;
    cases.forEach(function (el) {
      var show = results[el.dataset.result] && domains[el.dataset.domain] && types[el.dataset.type] &&
        (text === "" || el.querySelector("summary").textContent.toLowerCase().indexOf(text) >= 0);
      el.hidden = !show;
      if (show) visible++;
    });
    shown.textContent = visible.toLocaleString("en-US") + " of " + cases.length.toLocaleString("en-US") + " test cases";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
`;
