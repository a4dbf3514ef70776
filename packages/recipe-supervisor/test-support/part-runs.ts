/**
 * Runs of one supervisor part by the real engine (through @buildout/testing):
 * install, a second run (update), and uninstall (the part taken out of
 * `parts`), with the recipe object under test as `collective.recipe.supervisor`.
 */
import type { Recipe } from '@buildout/engine';
import { configText, openBuildout, type LogLine, type TestBuildout, type TestPart } from '@buildout/testing';
import { SUPERVISOR_PYTHON } from './supervisor-python.js';

const RECIPE = 'collective.recipe.supervisor';

export interface PartSpec {
  readonly directory: string;
  readonly options: Record<string, string>;
  readonly name?: string;
  /** Extra or changed [buildout] options (offline, index, find-links, ...). */
  readonly buildout?: Record<string, string>;
  readonly sections?: Record<string, Record<string, string>>;
}

/**
 * A part whose supervisord really runs: offline, the Python that has supervisor, an HTTP server on
 * 127.0.0.1:`port`, as root `supervisord-user = root` (supervisord refuses to run as root without it); then `options`.
 */
export function runningPartSpec(directory: string, port: number, options: Record<string, string>): PartSpec {
  return {
    directory,
    buildout: { offline: 'true' },
    options: {
      python: SUPERVISOR_PYTHON,
      port: `127.0.0.1:${port}`,
      ...(process.getuid?.() === 0 ? { 'supervisord-user': 'root' } : {}),
      ...options,
    },
  };
}

/** What .installed.cfg records for the part after a run, and what the run logged for it. */
export interface InstalledState {
  readonly options: Readonly<Record<string, string>>;
  readonly paths: string[];
  readonly part: { readonly logs: readonly LogLine[] };
}

function buildoutOf(spec: PartSpec, parts = spec.name ?? 'supervisor'): TestBuildout {
  const buildout = openBuildout(spec.directory);
  const name = spec.name ?? 'supervisor';
  buildout.write(
    'buildout.cfg',
    configText({
      ...spec.sections,
      buildout: { ...spec.sections?.buildout, ...spec.buildout, parts },
      [name]: { recipe: RECIPE, ...spec.options },
    }),
  );
  return buildout;
}

async function run(recipe: Recipe, spec: PartSpec, parts?: string): Promise<{ buildout: TestBuildout; logs: LogLine[] }> {
  const buildout = buildoutOf(spec, parts);
  const { error, logs } = await buildout.install({ recipes: { [RECIPE]: recipe } });
  if (error) throw error;
  const name = spec.name ?? 'supervisor';
  return { buildout, logs: logs.filter((record) => record.part === name).map(({ level, message }) => ({ level, message })) };
}

export async function installPart(recipe: Recipe, spec: PartSpec): Promise<InstalledState> {
  const { buildout, logs } = await run(recipe, spec);
  const recorded = buildout.installed().get(spec.name ?? 'supervisor')!;
  return { options: recorded.options, paths: [...recorded.installed], part: { logs } };
}

/** A second run with the same options: the engine updates the part. */
export function updatePart(recipe: Recipe, spec: PartSpec): Promise<InstalledState> {
  return installPart(recipe, spec);
}

/** A run without the part in `parts`: the recipe's uninstall, then the engine removes what was recorded. */
export async function uninstallPart(recipe: Recipe, spec: PartSpec): Promise<{ readonly logs: readonly LogLine[] }> {
  const { logs } = await run(recipe, spec, '');
  return { logs };
}

/** The Part the engine hands to init. */
export function initPart(spec: PartSpec): Promise<TestPart> {
  return buildoutOf(spec).part(spec.name ?? 'supervisor', 'init');
}
