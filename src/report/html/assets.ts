/** The report's stylesheet and its one inline script, with the script's CSP hash. Static: no evidence text here. */
import { createHash } from 'node:crypto'

export const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --line: #d0d7de; --panel: #f6f8fa;
  --lane-odd: #f3f5f7; --masked: #d1242f; --masked-fill: rgba(209, 36, 47, .22); --unmask: #1a7f37; --boot: #8250df;
  --tx: #0969da; --tx-fill: rgba(9, 105, 218, .35); --warn: #9a6700; --code: #eff2f5; --link: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #30363d; --panel: #161b22; --lane-odd: #12171e;
    --masked: #ff7b72; --masked-fill: rgba(255, 123, 114, .25); --unmask: #3fb950; --boot: #d2a8ff; --tx: #58a6ff;
    --tx-fill: rgba(88, 166, 255, .35); --warn: #d29922; --code: #1f2630; --link: #58a6ff; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 16px; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
a { color: var(--link); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
code { background: var(--code); border-radius: 4px; padding: .05em .3em; }
pre { margin: .2rem 0 .6rem; padding: .5rem .7rem; background: var(--code); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; font-size: 1em; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .92rem; overflow-wrap: break-word; }
td.unit, td.source { white-space: nowrap; }
td.text { min-width: 24ch; overflow-wrap: anywhere; }
td.by { min-width: 12ch; overflow-wrap: anywhere; }
#summary td:last-child { min-width: 16ch; }
.cursor { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .75em; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.time, td.nowrap { white-space: nowrap; }
td.hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .8rem; overflow-wrap: anywhere; min-width: 18ch; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; padding: .75rem 1rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.meta ul { margin: 0; padding-left: 1.1rem; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 1em; border: 1px solid var(--line); font-size: .82em; white-space: nowrap; }
.badge.masked, .badge.masked-runtime { color: var(--masked); border-color: var(--masked); }
.badge.not-masked { color: var(--unmask); border-color: var(--unmask); }
.badge.high { font-weight: 600; }
.badge.low { color: var(--warn); border-color: var(--warn); }
.narrative { font-size: 1.02rem; }
section.unit { margin-top: 1.5rem; }
section.unit > dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
section.unit > dl dt { color: var(--muted); }
section.unit > dl dd { margin: 0; }
ul.evidence { list-style: none; padding: 0; margin: 0; }
ul.evidence li { margin: .3rem 0; }
.role, .muted { color: var(--muted); }
ol.fix li { margin: .15rem 0; }
.conflict { color: var(--warn); }
#filter { font: inherit; padding: .35rem .6rem; width: min(100%, 24rem); margin: .25rem 0 .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.filtered-out { display: none; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .85rem; color: var(--muted); margin: .3rem 0 0; padding: 0; list-style: none; }
.legend svg { vertical-align: middle; margin-right: .3rem; }
.sev-error { color: var(--masked); }
.sev-warning { color: var(--warn); }
/* timeline */
#timeline { display: block; width: 100%; min-width: 760px; height: auto; font-family: system-ui, sans-serif; }
.tl .lane-bg { fill: transparent; }
.tl .lane-bg.odd, .tl .lane-bg.packages { fill: var(--lane-odd); }
.tl .lane-label { fill: var(--fg); font-size: 12px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.tl .lane-state, .tl .axis-caption, .tl .axis-note { fill: var(--muted); font-size: 10.5px; }
.tl .tick { fill: var(--muted); font-size: 11px; }
.tl .grid { stroke: var(--line); stroke-width: 1; }
.tl rect.masked { fill: var(--masked-fill); stroke: var(--masked); stroke-width: 1; }
.tl rect.masked.open { stroke-dasharray: 0; }
.tl rect.masked.unknown-start, .tl rect.masked.unknown-end { fill: var(--masked-fill); fill-opacity: .5; stroke-dasharray: 4 3; }
.tl circle.mask { fill: var(--masked); stroke: var(--bg); stroke-width: 1.5; }
.tl circle.unmask { fill: var(--unmask); stroke: var(--bg); stroke-width: 1.5; }
.tl path.refused, .tl path.dependency { fill: var(--warn); stroke: var(--bg); stroke-width: 1; }
.tl rect.transaction { fill: var(--tx-fill); stroke: var(--tx); stroke-width: 1; }
.tl rect.transaction.error { stroke: var(--masked); }
.tl rect.transaction.interrupted { fill: url(#hatch); stroke: var(--masked); stroke-dasharray: 5 3; }
.tl .hatch-bg { fill: var(--tx-fill); }
.tl .hatch-line { stroke: var(--masked); stroke-width: 2; }
.tl line.boot { stroke: var(--boot); stroke-width: 2; stroke-dasharray: 6 3; }
@media (max-width: 600px) {
  body { padding: 10px; font-size: 14px; }
  .meta, section.unit > dl { grid-template-columns: 1fr; }
  .meta dt, section.unit > dl dt { margin-top: .3rem; }
  th, td { padding: .25rem .35rem; }
}
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --line: #999; --panel: #f2f2f2; --lane-odd: #f2f2f2; --code: #f2f2f2; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  #filter { display: none; }
  .filtered-out { display: revert; }
  .scroll { overflow: visible; }
  #timeline { min-width: 0; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  section.unit { break-before: page; }
  tr, li, pre { break-inside: avoid; }
}
`.trim()

/** Progressive enhancement only: a filter box over units. Without it the report is complete. */
export const SCRIPT = `
(function () {
  var summary = document.getElementById('summary');
  if (!summary || !document.querySelectorAll) return;
  var box = document.createElement('input');
  box.type = 'search';
  box.id = 'filter';
  box.placeholder = 'Filter units (name contains…)';
  box.setAttribute('aria-label', 'Filter units by name');
  var anchor = summary.closest ? summary.closest('.scroll') || summary : summary;
  anchor.parentNode.insertBefore(box, anchor);
  box.addEventListener('input', function () {
    var q = box.value.trim().toLowerCase();
    var items = document.querySelectorAll('[data-unit]');
    for (var i = 0; i < items.length; i++) {
      var name = (items[i].getAttribute('data-unit') || '').toLowerCase();
      items[i].classList.toggle('filtered-out', q !== '' && name.indexOf(q) === -1);
    }
  });
})();
`.trim()

export const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT, 'utf8').digest('base64')}`

export const CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${SCRIPT_HASH}'`
