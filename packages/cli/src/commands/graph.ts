/**
 * `buildout graph`: the parts and what each waits for, as Graphviz DOT (the
 * default) or a Mermaid flowchart, from the engine's plan (so parts a
 * meta-recipe generates are in it). Arrows point from a part to the parts
 * that need it, the order in which they are built; each node says what
 * `install` would do to the part.
 */
import { resolve } from 'node:path';
import { createEngine, writeFileAtomic, type Plan, type StepAction } from '@buildout/engine';
import { usageError } from '../args.js';
import { bundledRecipePackages } from '../bundled-recipes.js';
import { secretsPlugin } from '../secrets-plugin.js';
import type { CommandContext } from '../command.js';
import { loadConfig } from '../load-config.js';
import { graphToHtml, isReplaceablePage } from '../graph-html.js';
import { htmlGraphOf, openInBrowser } from '../graph-page-data.js';
import { parseCommandArguments } from '../command-args.js';
import { findCommand } from './index.js';

export const GRAPH_FORMATS = ['dot', 'mermaid'] as const;
const DEFAULT_HTML_FILE = 'buildout-graph.html';
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

interface GraphNode {
  readonly part: string;
  readonly action: StepAction;
}

interface Graph {
  readonly nodes: readonly GraphNode[];
  /** [dependency, dependent] pairs. */
  readonly edges: readonly (readonly [string, string])[];
}

/** The parts in build order (then the ones only being uninstalled) and their dependency edges. */
export function graphOf(plan: Plan): Graph {
  const actions = new Map<string, StepAction>();
  for (const step of plan.steps) actions.set(step.part, step.action);
  const nodes: GraphNode[] = plan.order.map((part) => ({ part, action: actions.get(part) ?? 'skip' }));
  for (const step of plan.uninstall) if (!plan.order.includes(step.part)) nodes.push({ part: step.part, action: 'uninstall' });
  const edges = plan.order.flatMap((part) => (plan.dependencies.get(part) ?? []).map((dependency) => [dependency, part] as const));
  return { nodes, edges };
}

function dotEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

export function graphToDot(graph: Graph): string {
  const lines = ['digraph buildout {', '  rankdir=LR;', '  node [shape=box];'];
  for (const { part, action } of graph.nodes) {
    const style = action === 'install' ? ', style=bold' : action === 'uninstall' ? ', style=dashed' : '';
    lines.push(`  "${dotEscape(part)}" [label="${dotEscape(part)}\\n${action}"${style}];`);
  }
  for (const [from, to] of graph.edges) lines.push(`  "${dotEscape(from)}" -> "${dotEscape(to)}";`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid ids are n0, n1, ... (part names may hold characters Mermaid reads as syntax); names go in quoted labels. */
export function graphToMermaid(graph: Graph): string {
  const ids = new Map(graph.nodes.map(({ part }, index) => [part, `n${index}`]));
  const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  for (const { part, action } of graph.nodes) lines.push(`  ${ids.get(part)}[${label(`${part}<br/>${action}`)}]`);
  for (const [from, to] of graph.edges) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  const dashed = graph.nodes.filter(({ action }) => action === 'uninstall').map(({ part }) => ids.get(part));
  if (dashed.length > 0) lines.push('  classDef uninstall stroke-dasharray: 5 5', `  class ${dashed.join(',')} uninstall`);
  return `${lines.join('\n')}\n`;
}

export async function runGraph(context: CommandContext): Promise<number> {
  const { options, positionals } = parseCommandArguments(findCommand('graph')!, context.args);
  const html = options.has('html');
  if (options.has('open') && !html) throw usageError('graph: --open goes with --html');
  if (html && options.has('format')) throw usageError('graph: --format and --html are two ways to print the graph; give one');
  if (positionals.length > (html ? 1 : 0))
    throw usageError(`graph: unexpected argument ${positionals.at(-1)}`, "run 'buildout graph --help' for usage");
  const file = html ? resolve(context.cwd, positionals[0] ?? DEFAULT_HTML_FILE) : undefined;
  if (file !== undefined && !isReplaceablePage(file)) {
    throw usageError(
      `graph: ${file} exists and is not a page that graph --html wrote; it is left alone`,
      'name a new file, or remove that one first',
    );
  }
  const format = options.get('format') ?? 'dot';
  if (!(GRAPH_FORMATS as readonly unknown[]).includes(format)) throw usageError(`graph: unknown format ${format} (use dot or mermaid)`);
  const buildout = await loadConfig(context);
  const engine = createEngine({ buildout, bundledRecipePackages });
  await engine.use(secretsPlugin(context.redactor, context.global.verbosity));
  const plan = await engine.plan();
  if (file === undefined) {
    const planned = graphOf(plan);
    context.stdout.write(format === 'dot' ? graphToDot(planned) : graphToMermaid(planned));
    return 0;
  }
  const { redactor } = context;
  // The secrets plugin has learned every part's secret options and values from the plan.
  const page = htmlGraphOf(redactor.plan(plan), buildout, (part, option, value) => redactor.option(part, option, value));
  await writeFileAtomic(file, graphToHtml(page));
  context.stdout.write(`Wrote ${file}\n`);
  if (options.has('open')) openInBrowser(file, context);
  return 0;
}
