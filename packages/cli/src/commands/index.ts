import type { Command } from '../command.js';

// The config file name in init's summary, without importing the config package here.
const CONFIG_FILE = 'buildout.cfg';

/** Every command, in the order `--help` lists them; each loads its code only when it runs. */
export const commands: readonly Command[] = [
  {
    name: 'install',
    usage: 'install [--dry-run [--json]] [parts]',
    summary: 'install, update and uninstall parts (the default command)',
    load: async () => (await import('./install.js')).runInstall,
  },
  {
    name: 'plan',
    usage: 'plan [--json] [parts]',
    summary: 'what install would do to each part, and why (a dry run)',
    load: async () => (await import('./install.js')).runPlan,
  },
  {
    name: 'graph',
    usage: 'graph [--format dot|mermaid]',
    summary: 'print the part graph (Graphviz DOT, or Mermaid) with what install would do to each part',
    load: async () => (await import('./graph.js')).runGraph,
  },
  {
    name: 'annotate',
    usage: 'annotate [--json] [sections]',
    summary: 'every resolved value and where it came from',
    load: async () => (await import('./annotate.js')).runAnnotate,
  },
  {
    name: 'query',
    usage: 'query [section:]option',
    summary: 'the raw, unexpanded value of an option',
    load: async () => (await import('./query.js')).runQuery,
  },
  {
    name: 'init',
    usage: 'init [--recipe NAME [--from TARBALLS] [FOLDER]]',
    summary: `create a minimal ${CONFIG_FILE} here (or the -c file); with --recipe, a recipe package to start from`,
    load: async () => (await import('./init.js')).runInit,
  },
];

export const DEFAULT_COMMAND = 'install';
