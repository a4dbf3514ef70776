/** Helpers for the engine's tests: temporary buildouts with real recipe modules. */
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isBuildoutError, loadBuildout, type BuildoutError } from '@buildout/config';
import { createEngine, type EnginePlugin } from '../engine.js';
import type { LogRecord, RunSummary } from '../hooks.js';
import { exists, read, tree, write } from '@buildout/testing';

export { exists, read, tree, write };

/**
 * A recipe that records what is called in `events.log` (`event part` lines,
 * with a millisecond time for start/end events) and creates `parts/NAME/out.txt`.
 * Options: `text`, `fail = init|install|update|uninstall`, `sleep = ms`.
 */
export const TRACE_RECIPE = `
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const log = (part, event) => appendFileSync(join(part.directory, 'events.log'), event + ' ' + part.name + '\\n');
const stamp = (part, event) => appendFileSync(join(part.directory, 'times.log'), event + ' ' + part.name + ' ' + (performance.timeOrigin + performance.now()) + '\\n');
export default {
  init(part) {
    if (part.options.fail === 'init') throw new Error('init broke');
  },
  async install(part) {
    stamp(part, 'start');
    if (part.options.sleep) await new Promise((resolve) => setTimeout(resolve, Number(part.options.sleep)));
    const folder = join('parts', part.name);
    mkdirSync(folder, { recursive: true });
    part.created(folder);
    writeFileSync(join(folder, 'out.txt'), part.options.text ?? '');
    if (part.options.fail === 'install') throw new Error(part.name + ' broke');
    log(part, 'install');
    stamp(part, 'end');
    return [folder];
  },
  update(part) {
    log(part, 'update');
    if (part.options.fail === 'update') throw new Error('update broke');
  },
  uninstall(part) {
    log(part, 'uninstall' + (existsSync(join('parts', part.name)) ? '' : '(files already gone)'));
  },
};
`;

/** The lines of events.log since the last call (which empties it). */
export function events(root: string): string[] {
  const file = join(root, 'events.log');
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  rmSync(file);
  return lines;
}

export interface TestRun {
  summary: RunSummary | undefined;
  error: BuildoutError | undefined;
  logs: LogRecord[];
}

/** Loads `root/buildout.cfg` and installs (`parts` as `install p1 p2`), catching a BuildoutError. */
export async function install(
  root: string,
  options: { parts?: string[]; jobs?: number; plugins?: EnginePlugin[]; assignments?: string[] } = {},
): Promise<TestRun> {
  const buildout = await loadBuildout({ cwd: root, userDefaults: false, env: {}, assignments: options.assignments });
  const engine = createEngine({ buildout, jobs: options.jobs });
  const logs: LogRecord[] = [];
  engine.hooks.log.tap('test', (record) => void logs.push(record));
  for (const plugin of options.plugins ?? []) await engine.use(plugin);
  try {
    const { summary } = await engine.install({ parts: options.parts });
    return { summary, error: undefined, logs };
  } catch (error) {
    if (!isBuildoutError(error)) throw error;
    return { summary: undefined, error, logs };
  }
}

export async function plan(root: string, parts?: string[]) {
  const buildout = await loadBuildout({ cwd: root, userDefaults: false, env: {} });
  return createEngine({ buildout }).plan({ parts });
}
