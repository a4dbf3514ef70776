/**
 * `buildout graph --html`: one self-contained page of the part graph. The
 * layout library (dagre, a dependency of this package) is read from
 * node_modules when the page is made and inlined, with the graph as JSON, so
 * the page needs no network. The page draws the parts as SVG boxes coloured
 * by what `install` would do, with the dependency arrows, pans and zooms, and
 * shows a part's recipe, reason and options when it is clicked (or named in
 * the URL: `graph.html#part=NAME`).
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface HtmlGraphNode {
  readonly part: string;
  /** install, update, uninstall, skip (unchanged), or restore (restored from the output cache). */
  readonly action: string;
  readonly recipe: string;
  /** Why the plan does that, first line then details. */
  readonly reason: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

export interface HtmlGraph {
  readonly title: string;
  readonly nodes: readonly HtmlGraphNode[];
  /** [dependency, dependent] pairs. */
  readonly edges: readonly (readonly [string, string])[];
}

/** In every page graphToHtml writes (those of earlier versions too): what tells a page of ours from someone's file. */
const PAGE_MARK = '<script id="graph-data" type="application/json">';
/** Far larger than any page of ours: a bigger file is not read to find out. */
const LARGEST_PAGE = 64 * 1024 * 1024;

/**
 * Whether `file` may be written: nothing is there, or a page of ours (made
 * again, as a build tool rewrites its own output). Anything else is someone's
 * file: `graph --html buildout.cfg` must not replace the configuration.
 */
export function isReplaceablePage(file: string): boolean {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return false;
    size = stats.size;
  } catch {
    return true; // not there, or not readable: the write says what is wrong
  }
  return size <= LARGEST_PAGE && readFileSync(file, 'utf8').includes(PAGE_MARK);
}

/** dagre's browser build, from the installed package. */
function layoutLibrary(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@dagrejs/dagre/package.json');
  return readFileSync(join(dirname(packageJson), 'dist', 'dagre.min.js'), 'utf8');
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function graphToHtml(graph: HtmlGraph): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(graph.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(graph.title)}</h1>
  <span id="counts"></span>
  <input id="search" type="search" placeholder="find a part" aria-label="find a part">
  <button id="fit" type="button">fit</button>
  <span class="legend">
    <span class="swatch install"></span>install <span class="swatch update"></span>update (unchanged)
    <span class="swatch restore"></span>restored from cache <span class="swatch uninstall"></span>uninstall
    <span class="swatch skip"></span>left alone
  </span>
</header>
<main>
  <svg id="graph" role="img" aria-label="part graph"><g id="viewport"></g></svg>
  <aside id="details"><p class="hint">Click a part to see its recipe, why it is planned so, and its options.</p></aside>
</main>
<script>${layoutLibrary()}</script>
${PAGE_MARK}${scriptJson(graph)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --install: #2e7d32; --update: #1565c0; --restore: #6a1b9a; --uninstall: #c62828; --skip: #757575; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #212121; display: flex; flex-direction: column; height: 100vh; }
header { display: flex; gap: 12px; align-items: center; padding: 8px 12px; border-bottom: 1px solid #ddd; flex-wrap: wrap; }
h1 { font-size: 16px; margin: 0; }
.legend { display: flex; gap: 6px; align-items: center; color: #555; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-left: 8px; }
.swatch.install, .node.install rect { background: var(--install); fill: var(--install); }
.swatch.update, .node.update rect { background: var(--update); fill: var(--update); }
.swatch.restore, .node.restore rect { background: var(--restore); fill: var(--restore); }
.swatch.uninstall, .node.uninstall rect { background: var(--uninstall); fill: var(--uninstall); }
.swatch.skip, .node.skip rect { background: var(--skip); fill: var(--skip); }
.node.uninstall rect { stroke-dasharray: 5 3; }
main { flex: 1; display: flex; min-height: 0; }
svg { flex: 1; cursor: grab; background: #fafafa; }
.node { cursor: pointer; }
.node rect { stroke: #263238; stroke-width: 1; rx: 4; }
.node text { fill: #fff; font-size: 12px; pointer-events: none; }
.node.selected rect { stroke: #ffb300; stroke-width: 4; }
.node.dimmed { opacity: 0.2; }
.edge { fill: none; stroke: #90a4ae; stroke-width: 1.2; }
.edge.near { stroke: #ffb300; stroke-width: 2.5; }
aside { width: 360px; overflow: auto; border-left: 1px solid #ddd; padding: 12px; }
aside h2 { font-size: 16px; margin: 0 0 4px; word-break: break-all; }
aside table { border-collapse: collapse; width: 100%; font-size: 12px; }
aside td { border-top: 1px solid #eee; padding: 3px 4px; vertical-align: top; }
aside td:first-child { font-weight: 600; white-space: nowrap; }
aside pre { margin: 0; white-space: pre-wrap; word-break: break-all; font: 12px ui-monospace, monospace; }
.hint { color: #777; }
`;

// Plain browser JavaScript, run by the page: no build step, no network.
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var LABELS = { install: 'install', update: 'update (unchanged)', uninstall: 'uninstall', skip: 'left alone', restore: 'restored from cache' };
  var g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 60, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(function () { return {}; });
  var byName = {};
  data.nodes.forEach(function (node) {
    byName[node.part] = node;
    g.setNode(node.part, { width: Math.max(80, node.part.length * 7.2 + 20), height: 30 });
  });
  data.edges.forEach(function (edge) { if (byName[edge[0]] && byName[edge[1]]) g.setEdge(edge[0], edge[1]); });
  dagre.layout(g);

  var viewport = document.getElementById('viewport');
  var defs = document.createElementNS(SVG, 'defs');
  defs.innerHTML = '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#90a4ae"/></marker>';
  viewport.appendChild(defs);
  var edgeElements = [];
  g.edges().forEach(function (e) {
    var points = g.edge(e).points;
    var path = document.createElementNS(SVG, 'path');
    path.setAttribute('class', 'edge');
    path.setAttribute('marker-end', 'url(#arrow)');
    path.setAttribute('d', points.map(function (p, i) { return (i ? 'L' : 'M') + p.x.toFixed(1) + ' ' + p.y.toFixed(1); }).join(' '));
    path.dataset.from = e.v;
    path.dataset.to = e.w;
    viewport.appendChild(path);
    edgeElements.push(path);
  });
  var nodeElements = {};
  data.nodes.forEach(function (node) {
    var box = g.node(node.part);
    var group = document.createElementNS(SVG, 'g');
    group.setAttribute('class', 'node ' + node.action);
    group.setAttribute('transform', 'translate(' + (box.x - box.width / 2).toFixed(1) + ',' + (box.y - box.height / 2).toFixed(1) + ')');
    group.dataset.part = node.part;
    group.dataset.action = node.action;
    var rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('width', box.width);
    rect.setAttribute('height', box.height);
    var text = document.createElementNS(SVG, 'text');
    text.setAttribute('x', 10);
    text.setAttribute('y', 19);
    text.textContent = node.part;
    var title = document.createElementNS(SVG, 'title');
    title.textContent = node.part + ': ' + LABELS[node.action];
    group.appendChild(rect);
    group.appendChild(text);
    group.appendChild(title);
    group.addEventListener('click', function (event) { event.stopPropagation(); select(node.part); });
    viewport.appendChild(group);
    nodeElements[node.part] = group;
  });

  var counts = {};
  data.nodes.forEach(function (node) { counts[node.action] = (counts[node.action] || 0) + 1; });
  document.getElementById('counts').textContent = data.nodes.length + ' parts: ' + Object.keys(counts).map(function (a) { return counts[a] + ' ' + LABELS[a]; }).join(', ');

  var svg = document.getElementById('graph');
  var view = { x: 0, y: 0, scale: 1 };
  function apply() { viewport.setAttribute('transform', 'translate(' + view.x + ',' + view.y + ') scale(' + view.scale + ')'); }
  function fit() {
    var size = g.graph();
    var width = svg.clientWidth || 800, height = svg.clientHeight || 600;
    view.scale = Math.min(2, width / (size.width || 1), height / (size.height || 1));
    view.x = (width - size.width * view.scale) / 2;
    view.y = (height - size.height * view.scale) / 2;
    apply();
  }
  svg.addEventListener('wheel', function (event) {
    event.preventDefault();
    var factor = Math.exp(-event.deltaY * 0.0015);
    var r = svg.getBoundingClientRect();
    var mx = event.clientX - r.left, my = event.clientY - r.top;
    view.x = mx - (mx - view.x) * factor;
    view.y = my - (my - view.y) * factor;
    view.scale *= factor;
    apply();
  }, { passive: false });
  var drag = null;
  svg.addEventListener('mousedown', function (event) { drag = { x: event.clientX - view.x, y: event.clientY - view.y }; });
  window.addEventListener('mousemove', function (event) { if (drag) { view.x = event.clientX - drag.x; view.y = event.clientY - drag.y; apply(); } });
  window.addEventListener('mouseup', function () { drag = null; });
  document.getElementById('fit').addEventListener('click', fit);

  function cell(text, tag) { var element = document.createElement(tag || 'td'); element.textContent = text; return element; }
  function select(name) {
    var node = byName[name];
    Object.keys(nodeElements).forEach(function (part) { nodeElements[part].classList.toggle('selected', part === name); });
    edgeElements.forEach(function (edge) { edge.classList.toggle('near', edge.dataset.from === name || edge.dataset.to === name); });
    var details = document.getElementById('details');
    details.textContent = '';
    if (!node) return;
    details.appendChild(cell(node.part, 'h2'));
    var what = cell(LABELS[node.action] + ': ' + node.reason[0], 'p');
    what.id = 'details-action';
    details.appendChild(what);
    node.reason.slice(1).forEach(function (line) { details.appendChild(cell(line, 'p')); });
    details.appendChild(cell('recipe: ' + (node.recipe || '(none)'), 'p'));
    var needs = data.edges.filter(function (e) { return e[1] === name; }).map(function (e) { return e[0]; });
    var neededBy = data.edges.filter(function (e) { return e[0] === name; }).map(function (e) { return e[1]; });
    if (needs.length) details.appendChild(cell('needs: ' + needs.join(', '), 'p'));
    if (neededBy.length) details.appendChild(cell('needed by: ' + neededBy.join(', '), 'p'));
    var table = document.createElement('table');
    table.id = 'details-options';
    Object.keys(node.options).sort().forEach(function (option) {
      var row = document.createElement('tr');
      row.appendChild(cell(option));
      var value = document.createElement('td');
      value.appendChild(cell(node.options[option], 'pre'));
      row.appendChild(value);
      table.appendChild(row);
    });
    details.appendChild(table);
    if (location.hash !== '#part=' + encodeURIComponent(name)) history.replaceState(null, '', '#part=' + encodeURIComponent(name));
  }
  svg.addEventListener('click', function () { select(null); });
  document.getElementById('search').addEventListener('input', function (event) {
    var text = event.target.value.toLowerCase();
    Object.keys(nodeElements).forEach(function (part) { nodeElements[part].classList.toggle('dimmed', text !== '' && part.toLowerCase().indexOf(text) < 0); });
  });
  fit();
  var wanted = /^#part=(.*)$/.exec(location.hash);
  if (wanted) select(decodeURIComponent(wanted[1]));
  document.body.dataset.ready = 'true';
})();
`;
