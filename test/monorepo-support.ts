/**
 * Synthetic pnpm workspaces for the monorepo end-to-end tests: every package
 * builds with tools/build.mjs, which records `start`/`end` events with times,
 * copies src/index.txt plus the outputs of its workspace dependencies that
 * have a build script into dist/out.txt (failing if one was not built yet),
 * and fails when its source says FAIL.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tree } from './engine/cli.js';

const BUILD = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const record = (event) => appendFileSync(process.env.BUILD_EVENTS, event + ' ' + pkg.name + ' ' + Date.now() + '\\n');
record('start');
await new Promise((resolve) => setTimeout(resolve, Number(process.env.BUILD_SLEEP_MS ?? 0)));
const source = readFileSync('src/index.txt', 'utf8').trim();
console.log(pkg.name + ': building');
if (source.includes('FAIL')) {
  console.error(pkg.name + ': the source says FAIL');
  process.exit(1);
}
const built = (name) => JSON.parse(readFileSync('../' + name + '/package.json', 'utf8')).scripts.build !== undefined;
const fromDependencies = Object.keys(pkg.dependencies ?? {}).filter(built).map((name) => readFileSync('../' + name + '/dist/out.txt', 'utf8').trim());
mkdirSync('dist', { recursive: true });
writeFileSync('dist/out.txt', [pkg.name + ': ' + source, ...fromDependencies].join('\\n') + '\\n');
record('end');
`;

export interface PackageSpec {
  /** Also its folder under packages/. */
  readonly name: string;
  readonly dependencies?: readonly string[];
  /** Without a build script, the package gets no part. */
  readonly build?: boolean;
}

/** A workspace with these packages and a buildout.cfg whose `[packages]` workspace part builds them; `extra` lines go into that part. */
export function workspace(packages: readonly PackageSpec[], extra = ''): string {
  const files: Record<string, string> = {
    'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
    'package.json': JSON.stringify({ name: 'synthetic', private: true }),
    'tools/build.mjs': BUILD,
    'buildout.cfg': `[buildout]
parts = packages

[packages]
recipe = workspace
outputs = dist
runner = node ../../tools/build.mjs
env =
    BUILD_EVENTS = \${buildout:directory}/events.log
pass-env = BUILD_SLEEP_MS
${extra}
`,
  };
  for (const spec of packages) {
    files[`packages/${spec.name}/package.json`] = JSON.stringify({
      name: spec.name,
      private: true,
      scripts: spec.build === false ? {} : { build: 'node ../../tools/build.mjs' },
      dependencies: Object.fromEntries((spec.dependencies ?? []).map((dependency) => [dependency, 'workspace:*'])),
    });
    files[`packages/${spec.name}/src/index.txt`] = `${spec.name} v1\n`;
  }
  return tree(files);
}

export interface BuildEvent {
  readonly event: 'start' | 'end';
  readonly name: string;
  readonly time: number;
}

/** The events recorded so far, in the order they were written. */
export function events(root: string): BuildEvent[] {
  const file = join(root, 'events.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [event, name, time] = line.split(' ');
      return { event: event as BuildEvent['event'], name: name!, time: Number(time) };
    });
}

/** Names of the packages built (started) since the events file was last cleared, sorted. */
export function built(root: string): string[] {
  return events(root)
    .filter(({ event }) => event === 'start')
    .map(({ name }) => name)
    .sort();
}

export function clearEvents(root: string): void {
  writeFileSync(join(root, 'events.log'), '');
}

export function edit(root: string, name: string, content: string): void {
  writeFileSync(join(root, 'packages', name, 'src/index.txt'), content);
}

export function output(root: string, name: string): string {
  return readFileSync(join(root, 'packages', name, 'dist/out.txt'), 'utf8');
}

/** The parts recorded in .installed.cfg (its `[buildout] parts` line). */
export function recordedParts(root: string): string[] {
  const text = readFileSync(join(root, '.installed.cfg'), 'utf8');
  return (/^parts =(.*)$/m.exec(text)?.[1] ?? '').split(/\s+/).filter(Boolean);
}
