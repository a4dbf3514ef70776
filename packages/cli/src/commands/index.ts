import type { Command } from '../command.js';

// The config file name in init's summary, without importing the config package here.
const CONFIG_FILE = 'buildout.cfg';

/** Every command, in the order `--help` lists them; each loads its code only when it runs. */
export const commands: readonly Command[] = [
  {
    name: 'install',
    usage: 'install [--dry-run [--json]] [--keep-going] [--only] [parts]',
    summary: 'install, update and uninstall parts (the default command)',
    options: [
      { name: 'dry-run', description: 'print what would be done (the plan) and change nothing' },
      { name: 'json', description: 'with --dry-run: the plan as JSON' },
      { name: 'keep-going', description: 'after a part fails, go on with the parts that do not depend on it' },
      {
        name: 'only',
        description: 'with parts: leave the parts they depend on alone, even when out of date (they are rebuilt by the next full run)',
      },
    ],
    positionals: 'parts: install only these parts (and the parts they need); default: buildout:parts',
    examples: [
      ['buildout install', 'bring every part of buildout:parts up to date'],
      ['buildout -j 4 install web db', 'install web and db (and what they need), four parts at a time'],
    ],
    load: async () => (await import('./install.js')).runInstall,
  },
  {
    name: 'plan',
    usage: 'plan [--json] [parts]',
    summary: 'what install would do to each part, and why (a dry run)',
    options: [{ name: 'json', description: 'the plan as JSON' }],
    positionals: 'parts: plan only these parts (and the parts they need)',
    examples: [
      ['buildout plan', 'what install would do, and why'],
      ['buildout plan --json web', 'the plan for web as JSON'],
    ],
    load: async () => (await import('./install.js')).runPlan,
  },
  {
    name: 'graph',
    usage: 'graph [--format dot|mermaid] [--html [FILE] [--open]]',
    summary: 'the part graph (Graphviz DOT, Mermaid, or an HTML page) with what install would do to each part',
    options: [
      { name: 'format', value: 'FORMAT', description: 'dot (default) or mermaid, printed on stdout' },
      {
        name: 'html',
        description: 'write one self-contained HTML page (FILE, default buildout-graph.html; it replaces only a page it wrote)',
      },
      { name: 'open', description: 'with --html: open the page in the browser (xdg-open)' },
    ],
    positionals: 'FILE: with --html, the page to write',
    examples: [
      ['buildout graph | dot -Tsvg > graph.svg', 'draw the graph with Graphviz'],
      ['buildout graph --html graph.html --open', 'write the HTML page and open it'],
    ],
    load: async () => (await import('./graph.js')).runGraph,
  },
  {
    name: 'annotate',
    usage: 'annotate [--json [--origins]] [sections]',
    summary: 'every resolved value and where it came from',
    options: [
      { name: 'json', description: 'the resolved sections as JSON' },
      { name: 'origins', description: 'with --json: each value as {"value": ..., "origin": "file:line"}' },
    ],
    positionals: 'sections: show only these sections',
    examples: [
      ['buildout annotate', 'every value and the file:line it came from'],
      ['buildout -v annotate supervisor', "each value's history through the layers, for [supervisor]"],
      ['buildout annotate --json --origins', 'values and origins as JSON'],
    ],
    load: async () => (await import('./annotate.js')).runAnnotate,
  },
  {
    name: 'query',
    usage: 'query [section:]option',
    summary: 'the raw, unexpanded value of an option',
    options: [],
    positionals: '[section:]option: the option (section defaults to buildout)',
    examples: [
      ['buildout query parts', 'the raw value of buildout:parts'],
      ['buildout query supervisor:programs', 'the raw value of [supervisor] programs'],
    ],
    load: async () => (await import('./query.js')).runQuery,
  },
  {
    name: 'init',
    usage: 'init [--recipe NAME [--from FOLDER] [TARGET]]',
    summary: `create a minimal ${CONFIG_FILE} here (or the -c file); with --recipe, a recipe package to start from`,
    options: [
      { name: 'recipe', value: 'NAME', description: 'write a recipe package NAME (package.json, a TypeScript recipe, a test, a README)' },
      { name: 'from', value: 'FOLDER', description: 'with --recipe: take the @buildout packages from npm pack tarballs in FOLDER' },
    ],
    positionals: 'TARGET: with --recipe, the new folder (default: the name without its scope)',
    examples: [
      ['buildout init', `create ./${CONFIG_FILE}`],
      ['buildout -c dev.cfg init', 'create ./dev.cfg'],
      ['buildout init --recipe @acme/hello', 'write the recipe package ./hello; then npm install && npm test in it'],
    ],
    load: async () => (await import('./init.js')).runInit,
  },
];

export const DEFAULT_COMMAND = 'install';

export function findCommand(name: string): Command | undefined {
  return commands.find((candidate) => candidate.name === name);
}
