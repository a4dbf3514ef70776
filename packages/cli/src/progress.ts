/**
 * The install progress the command prints, as an engine plugin: one line per
 * finished part with its duration, recipe messages under their part, a
 * summary at the end. With -j N a part's messages are held back until it
 * finishes and printed with its line, so parallel parts never interleave.
 */
import type { Writable } from 'node:stream';
import type { EnginePlugin, PartAction, RunSummary } from '@buildout/engine';
import { formatDuration, type Style } from './style.js';

export interface ProgressOptions {
  readonly out: Writable;
  /** 0 normal, >0 with -v (start lines, debug messages), <0 with -q (-q: summary only, -qq: nothing). */
  readonly verbosity: number;
  readonly jobs: number;
  readonly style: Style;
}

const DONE: Partial<Record<PartAction, string>> = { install: 'Installed', update: 'Updated', uninstall: 'Uninstalled' };
const DOING: Partial<Record<PartAction, string>> = { install: 'Installing', update: 'Updating', uninstall: 'Uninstalling' };

export function progressReporter(options: ProgressOptions): EnginePlugin {
  const { out, verbosity, jobs, style } = options;
  const held = new Map<string, string[]>();
  const print = (line: string): void => void out.write(`${line}\n`);
  const release = (part: string): void => {
    for (const line of held.get(part) ?? []) print(line);
    held.delete(part);
  };

  return {
    name: 'progress',
    apply(engine) {
      engine.hooks.log.tap('progress', ({ level, message, part }) => {
        if ((level === 'debug' && verbosity < 1) || (level === 'info' && verbosity < 0)) return;
        const text = level === 'warn' ? style.yellow(`warning: ${message}`) : message;
        const line = part === undefined ? text : `${part}: ${text}`;
        // With -v every line is printed as it arrives, after its part's name; otherwise a part's messages come with its result line.
        const holding = part === undefined || verbosity > 0 ? undefined : held.get(part);
        if (holding) holding.push(line);
        else print(line);
      });
      for (const action of ['install', 'update', 'uninstall'] as const) {
        // Tapped only when it prints or holds something: every tap costs time with thousands of parts.
        if (jobs > 1 || verbosity > 0) {
          engine.hooks.beforePart.for(action).tap('progress', ({ name }) => {
            if (jobs > 1) held.set(name, []);
            else print(style.dim(`${DOING[action]} ${name}.`));
          });
        }
        engine.hooks.afterPart.for(action).tap('progress', ({ name }, { durationMs }) => {
          release(name);
          if (verbosity >= 0) print(`${colour(action, style)(DONE[action]!)} ${name} ${style.dim(`(${formatDuration(durationMs)})`)}`);
        });
      }
      engine.hooks.failure.tap('progress', ({ run, durationMs }) => {
        if (!run) return;
        release(run.name);
        if (verbosity >= -1) print(`${style.red(`Failed to ${run.action}`)} ${run.name} ${style.dim(`(${formatDuration(durationMs)})`)}`);
      });
      engine.hooks.runDone.tap('progress', (summary) => {
        if (verbosity >= -1) print(summaryLine(summary, style));
      });
    },
  };
}

function colour(action: PartAction, style: Style): (text: string) => string {
  if (action === 'install') return style.green;
  if (action === 'uninstall') return style.yellow;
  return (text) => text;
}

export function summaryLine(summary: RunSummary, style: Style): string {
  // Meta-parts (a workspace part) build nothing themselves: they are not counted.
  const meta = new Set(summary.meta);
  const reinstalled = new Set(summary.installed);
  const count = (parts: readonly string[]): number => parts.filter((part) => !meta.has(part)).length;
  const { local, remote } = summary.restored;
  const restored = local.length + remote.length;
  const counts = [
    [count(summary.installed) - restored, 'built'],
    [restored, `restored from cache (${local.length} local, ${remote.length} remote)`],
    [count(summary.updated), 'unchanged'],
    // A part uninstalled to be reinstalled is counted once, as built or restored.
    [summary.uninstalled.filter((part) => !reinstalled.has(part)).length, 'uninstalled'],
    [count(summary.skipped), 'skipped'],
  ] as const;
  const said = counts.filter(([number]) => number > 0).map(([number, word]) => `${number} ${word}`);
  const took = formatDuration(summary.durationMs);
  if (summary.failed.length > 0) {
    return (
      style.red(`Failed in ${took}: ${summary.failed.length} failed (${summary.failed.join(', ')})`) +
      (said.length > 0 ? `; ${said.join(', ')}` : '')
    );
  }
  return style.bold(`Done in ${took}: `) + (said.length > 0 ? said.join(', ') : 'nothing to do');
}
