/**
 * The `command` recipe: runs a shell command that builds something, again
 * only when its inputs (files matched by `inputs`) or its options changed,
 * and records what it made (`outputs`) so that buildout removes it when the
 * part goes away. See README.md for the options.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BuildoutError, defineRecipe, isSecretOptionName, ownPaths, relativeIfInside, words, type Part } from '@buildout/engine';
import { cacheKey, OutputCache, type PartOutputs, type PreparedRestore, relocatableOptions } from './cache/output-cache.js';
import { pathsRestoreMakes } from './cache/restore.js';
import { cacheSettings } from './cache/settings.js';
import { commandEnv, parseEnv, passedEnv } from './env.js';
import { CommandErrorCodes } from './errors.js';
import { normalizePattern } from './glob.js';
import { HashCache, sha256 } from './hash-cache.js';
import { hashInputs } from './inputs.js';
import { lines, misspeltOptions, optional } from './options.js';
import { ALWAYS_EXCLUDED, findOutputs, type FoundOutputs, outputFilter, type Ownership, ownershipBefore } from './outputs.js';
import { refuseForbiddenOutputs } from './outputs-guard.js';
import { runShell } from './shell.js';

/** The option `init` sets: a hash of the input files and of every other option of the part. */
export const INPUTS_HASH_OPTION = 'inputs-hash';
/** Hex digits of the sha256 kept in `inputs-hash`: 64 bits tell runs apart and keep plans and .installed.cfg readable. */
const INPUTS_HASH_LENGTH = 16;
/** Where the hash cache lives, inside `buildout:parts-directory`. */
export const HASH_CACHE_FILE = '.command-inputs.json';
/** Lines of output a failure message shows. */
export const TAIL_LINES = 20;
/** Output lines kept for the cache to replay (the rest is dropped: a cache entry is not a log archive). */
const MAX_CAPTURED_LINES = 5000;

export interface CommandSettings {
  /** Command lines run by install, one after the other. */
  readonly install: readonly string[];
  /** Command lines run by update (when nothing changed); none by default. */
  readonly update: readonly string[];
  /** Absolute working folder. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Names or globs of variables passed from buildout's environment (`pass-env`); their values count in `inputs-hash`. */
  readonly passEnv: readonly string[];
  /** Input patterns, relative to cwd. */
  readonly inputs: readonly string[];
  /** Output patterns, relative to cwd. */
  readonly outputs: readonly string[];
}

export function readSettings(part: Part): CommandSettings {
  const { options } = part;
  const command = optional(options, 'command');
  const install = optional(options, 'install');
  if (command !== undefined && install !== undefined) {
    throw new BuildoutError(CommandErrorCodes.COMMAND_BAD_OPTION, 'both command and install are set; they are the same option', {
      part: part.name,
      option: 'install',
      hint: 'keep one of them: command = ... (or install = ..., with update = ... for runs where nothing changed)',
    });
  }
  const installLines = lines(command ?? install);
  if (installLines.length === 0) {
    throw new BuildoutError(CommandErrorCodes.COMMAND_BAD_OPTION, 'no command to run: the command option is missing or empty', {
      part: part.name,
      hint: 'add command = <shell command> to the part (one command per line; they run in order and stop at the first failure)',
    });
  }
  return {
    install: installLines,
    update: lines(options.update),
    cwd: resolve(part.directory, optional(options, 'cwd') ?? '.'),
    env: parseEnv(options.env ?? '', part.name),
    passEnv: words(options['pass-env']),
    inputs: words(options.inputs),
    outputs: words(options.outputs),
  };
}

const caches = new Map<string, HashCache>();

/** One cache per buildout, shared by its command parts for the life of the process. */
function hashCacheOf(part: Part): HashCache {
  const file = join(resolve(part.directory, part.buildout.get('buildout', 'parts-directory')), HASH_CACHE_FILE);
  let cache = caches.get(file);
  if (!cache) {
    cache = HashCache.load(file);
    caches.set(file, cache);
  }
  return cache;
}

/** Literal path -> glob pattern matching just it. */
function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}

/** Patterns (relative to cwd) of what is never an input: node_modules, the outputs, buildout's own state. */
export function excludedFromInputs(part: Part, settings: CommandSettings): string[] {
  // Only input patterns with `..` or an absolute path reach files outside cwd.
  const reachOut = settings.inputs.some((pattern) => /^!?(?:\.\.(?:\/|\\|$)|\/|\\|[A-Za-z]:)/.test(pattern) || pattern.includes('/..'));
  const excluded = [...ALWAYS_EXCLUDED, ...settings.outputs.filter((pattern) => !pattern.startsWith('!'))];
  const state = (path: string, suffix = ''): void => {
    const absolute = resolve(part.directory, path);
    const inside = absolute.startsWith(settings.cwd + sep);
    // path.relative is costly enough to matter for hundreds of parts: skip what no input pattern can reach.
    if (inside || reachOut)
      excluded.push(
        escapeGlob(
          inside
            ? absolute
                .slice(settings.cwd.length + 1)
                .split(sep)
                .join('/')
            : normalizePattern(absolute, settings.cwd),
        ) + suffix,
      );
  };
  // The configuration is hashed through the options; the rest changes on every run or holds outputs.
  for (const own of ownPaths(part.buildout)) if (own.role !== 'config') state(own.path, own.withSuffixes ? '*' : '');
  return excluded;
}

/** `inputs-hash`: the input files' digest and every other option, so a part referencing it re-runs when this one would. */
export function computeInputsHash(part: Part, settings: CommandSettings): { hash: string; files: readonly string[]; read: number } {
  const inputs = hashInputs({
    cwd: settings.cwd,
    patterns: settings.inputs,
    exclude: excludedFromInputs(part, settings),
    cache: hashCacheOf(part),
  });
  const options = relocatableOptions(part, new Set([INPUTS_HASH_OPTION]));
  const passed = Object.entries(passedEnv(settings.passEnv, process.env)).map(
    ([name, value]) => `pass-env ${name}=${JSON.stringify(value)}\n`,
  );
  return {
    hash: sha256(`files ${inputs.digest}\n${options}${passed.join('')}`).slice(0, INPUTS_HASH_LENGTH),
    files: inputs.files,
    read: inputs.read,
  };
}

async function saveHashCache(part: Part): Promise<void> {
  try {
    await hashCacheOf(part).save();
  } catch (error) {
    // Only speed is lost: the next run reads the files again.
    part.log.warn(`cannot save the input hash cache: ${(error as Error).message}`);
  }
}

function where(part: Part, cwd: string): string {
  return cwd === part.directory ? 'the buildout directory' : relativeIfInside(part.directory, cwd);
}

/** Runs command lines in order and returns their output lines; a failing one throws COMMAND_FAILED with its exit code and last output lines. */
export async function runCommands(part: Part, commands: readonly string[], settings: CommandSettings): Promise<string[]> {
  if (!existsSync(settings.cwd) || !statSync(settings.cwd).isDirectory()) {
    throw new BuildoutError(CommandErrorCodes.COMMAND_BAD_OPTION, `cwd ${settings.cwd} is not a folder`, {
      part: part.name,
      option: 'cwd',
      hint: 'cwd is relative to the buildout directory; create the folder or correct the option',
    });
  }
  const env = commandEnv(passedEnv(settings.passEnv, process.env), settings.env, process.env);
  const captured: string[] = [];
  const onLine = (line: string): void => {
    part.log.debug(line);
    if (captured.length < MAX_CAPTURED_LINES) captured.push(line);
  };
  for (const command of commands) {
    part.log.debug(`$ ${command}  (in ${where(part, settings.cwd)})`);
    let result: Awaited<ReturnType<typeof runShell>>;
    try {
      result = await runShell(command, {
        cwd: settings.cwd,
        env,
        tailLines: TAIL_LINES,
        onLine,
        signal: part.signal,
      });
    } catch (error) {
      throw new BuildoutError(CommandErrorCodes.COMMAND_FAILED, `command could not be started: ${command}: ${(error as Error).message}`, {
        part: part.name,
        cause: error,
      });
    }
    if (part.signal.aborted) {
      throw new BuildoutError(CommandErrorCodes.COMMAND_INTERRUPTED, `command stopped by ${String(part.signal.reason)}: ${command}`, {
        part: part.name,
      });
    }
    if (result.exitCode === 0) continue;
    const how = result.signal ? `was killed by ${result.signal}` : `failed with exit code ${result.exitCode}`;
    const output =
      result.tail.length === 0
        ? 'it printed nothing'
        : `its last ${result.tail.length === 1 ? 'line' : `${result.tail.length} lines`} of output:\n${result.tail.map((line) => `    ${line}`).join('\n')}`;
    throw new BuildoutError(CommandErrorCodes.COMMAND_FAILED, `command ${how} (in ${where(part, settings.cwd)}): ${command}\n  ${output}`, {
      part: part.name,
      hint: 'fix the command or its inputs and run buildout again; -v shows the whole output of every command',
    });
  }
  return captured;
}

/**
 * The outputs that exist (those that are the part's, given what was there before it ran: `ownership`), as paths
 * relative to the buildout directory (absolute outside it); warns about patterns that matched nothing.
 */
export function existingOutputs(part: Part, settings: CommandSettings, warn: boolean, ownership?: Ownership): FoundOutputs {
  return findOutputs(part, settings.cwd, settings.outputs, warn, ownership);
}

/** Runs commands; when they fail, registers the outputs they left so that buildout removes them with the failed part. */
async function runAndCollect(
  part: Part,
  commands: readonly string[],
  settings: CommandSettings,
  ownership: Ownership,
): Promise<FoundOutputs & { log: string[] }> {
  let log: string[];
  try {
    log = await runCommands(part, commands, settings);
  } catch (error) {
    part.created(...existingOutputs(part, settings, false, ownership).paths);
    throw error;
  }
  return { ...existingOutputs(part, settings, true, ownership), log };
}

/** Where a restore may write: the files the outputs patterns name, never through a link below cwd. */
function outputsOf(part: Part, settings: CommandSettings): PartOutputs {
  return { isOutput: outputFilter(part, settings.cwd, settings.outputs), cwd: settings.cwd };
}

/** The part's output cache: none when caching is off for it or it declares no outputs (its command may act on what no cache can restore). */
function outputCacheOf(part: Part, settings: CommandSettings): OutputCache | undefined {
  if (settings.outputs.length === 0) return undefined;
  const cache = cacheSettings(part);
  return cache && OutputCache.of(cache);
}

interface KeyedCache {
  readonly cache: OutputCache;
  readonly key: string;
}

/** Per Part object: keepForReinstall and the install after it ask for the same. */
const keyedCaches = new WeakMap<Part, KeyedCache | undefined>();

/** The part's output cache and key when its build may come from (and go to) the cache. */
function keyedCache(part: Part, settings: CommandSettings): KeyedCache | undefined {
  if (keyedCaches.has(part)) return keyedCaches.get(part);
  // Without init's inputs-hash the key would not cover the input files; with stale dependencies it would not describe the build.
  const keyed = part.options[INPUTS_HASH_OPTION] === undefined || part.staleDependencies.length > 0 ? undefined : keyedOf(part, settings);
  keyedCaches.set(part, keyed);
  return keyed;
}

function keyedOf(part: Part, settings: CommandSettings): KeyedCache | undefined {
  const cache = outputCacheOf(part, settings);
  return cache && { cache, key: cacheKey(part) };
}

/** Restores that `keepForReinstall` prepared, for the install that follows it (the same Part object). */
const preparedRestores = new WeakMap<Part, PreparedRestore>();
/** The recorded outputs `keepForReinstall` kept in place (absolute): still the part's, though they were there before the install. */
const keptOutputs = new WeakMap<Part, readonly string[]>();

/** Builds the part, or restores its outputs from the cache when a build of the same key is there. */
async function buildOrRestore(part: Part, settings: CommandSettings): Promise<string[]> {
  // What is there before is not the part's (the engine removed what it recorded), unless kept for this reinstall.
  const ownership = ownershipBefore(settings.cwd, settings.outputs, keptOutputs.get(part));
  keptOutputs.delete(part);
  const keyed = keyedCache(part, settings);
  const cache = keyed?.cache;
  const key = keyed?.key;
  if (cache && key) {
    const prepared = preparedRestores.get(part);
    preparedRestores.delete(part);
    const restored =
      prepared?.key === key ? cache.finishRestore(prepared, part) : await cache.restore(key, part, outputsOf(part, settings));
    if (restored) {
      part.log.debug(`restored from the ${restored.source} cache (${key}); the command's output was:`);
      for (const line of restored.manifest.log) part.log.debug(line);
      part.restoredFromCache(restored.source);
      return existingOutputs(part, settings, false, ownership).paths;
    }
  }
  const started = performance.now();
  const built = await runAndCollect(part, settings.install, settings, ownership);
  if (cache && key && built.files) {
    if (built.links.length > 0) {
      // What a link points to is no output of the part (it may be a user's folder), and a link restored from a shared cache could point anywhere.
      part.log.warn(`${describeLinks(built.links)}: the outputs are not cached (the cache keeps files, not links nor what they point to)`);
    } else if (built.untouched.length > 0) {
      // A file the command found there and left (an incremental step, a killed earlier run's) is not the part's: a restore would lack it.
      part.log.warn(
        `${built.untouched[0]}${built.untouched.length > 1 ? ` and ${built.untouched.length - 1} more` : ''} matched the outputs before the command ran and it left them as they were: the outputs are not cached (a restore would lack them)`,
      );
    } else if (computeInputsHash(part, settings).hash !== part.options[INPUTS_HASH_OPTION]) {
      // Inputs edited while the command ran: what it made matches neither version, so it is not cached (and the next run rebuilds).
      part.log.warn('inputs changed while the command ran: its outputs are not cached, and the next run builds it again');
    } else {
      await cache.save(key, part, built.files, withoutSecrets(built.log, secretValues(part, settings)), performance.now() - started);
    }
  }
  return built.paths;
}

/** `dist/current is a symbolic link`, `a and 2 more are symbolic links`. */
function describeLinks(links: readonly string[]): string {
  if (links.length === 1) return `${links[0]} is a symbolic link`;
  return `${links[0]} and ${links.length - 1} more are symbolic links`;
}

/** Shorter values are left alone: masking every `on` or `1` would garble the log and still tell the secret's length. */
const SHORTEST_MASKED = 4;

/**
 * What the part knows to be secret: the values of its secret-named options (`api-token`, and a
 * `${db:password}` substituted into one) and of the secret-named variables it gives the command.
 */
function secretValues(part: Part, settings: CommandSettings): string[] {
  const named = (entries: [string, string | undefined][]): string[] =>
    entries
      .filter(([name, value]) => isSecretOptionName(name) && value !== undefined && value.length >= SHORTEST_MASKED)
      .map(([, value]) => value!);
  return [
    ...named(Object.entries(part.options)),
    ...named(Object.entries(settings.env)),
    ...named(Object.entries(passedEnv(settings.passEnv, process.env))),
  ];
}

/** The command's output as the cache keeps it (and a remote cache shares it): the secrets in it masked as the CLI masks them. */
function withoutSecrets(log: readonly string[], secrets: readonly string[]): string[] {
  if (secrets.length === 0) return [...log];
  const longestFirst = [...secrets].sort((a, b) => b.length - a.length);
  return log.map((line) => longestFirst.reduce((text, secret) => text.split(secret).join('***'), line));
}

/** Every option the recipe reads, for did-you-mean warnings. */
const COMMAND_OPTIONS = ['command', 'install', 'update', 'cwd', 'env', 'pass-env', 'inputs', 'outputs', 'cache', INPUTS_HASH_OPTION];

export default defineRecipe({
  init(part) {
    for (const [given, meant] of misspeltOptions(part.options, COMMAND_OPTIONS))
      part.log.warn(`unknown option ${given}; did you mean ${meant}?`, { option: given });
    const settings = readSettings(part);
    refuseForbiddenOutputs(part, settings.cwd, settings.inputs, settings.outputs);
    const { hash, files, read } = computeInputsHash(part, settings);
    part.options[INPUTS_HASH_OPTION] = hash;
    if (settings.inputs.length > 0)
      part.log.debug(`${files.length} input files (${read} read, ${files.length - read} unchanged since hashed)`);
  },

  async install(part) {
    const settings = readSettings(part);
    await saveHashCache(part);
    return buildOrRestore(part, settings);
  },

  async update(part) {
    const settings = readSettings(part);
    const cache = outputCacheOf(part, settings);
    if (cache) {
      const repaired = cache.repair(cacheKey(part), part, outputsOf(part, settings));
      if (repaired > 0) part.log.info(`restored ${repaired} changed output file${repaired === 1 ? '' : 's'} from the cache`);
    }
    await saveHashCache(part);
    // What the part recorded stays recorded (the engine adds what update returns); nothing new is the part's when nothing runs.
    if (settings.update.length === 0) return [];
    const ownership = ownershipBefore(settings.cwd, settings.outputs);
    return (await runAndCollect(part, settings.update, settings, ownership)).paths;
  },

  /** Before a reinstall that the local cache can restore: the recorded outputs the restore makes again stay in place (identical files are not rewritten). */
  keepForReinstall(part, recorded) {
    const settings = readSettings(part);
    const keyed = keyedCache(part, settings);
    const prepared = keyed?.cache.prepareRestore(keyed.key, part, outputsOf(part, settings));
    if (!prepared) return undefined;
    preparedRestores.set(part, prepared);
    const kept = pathsRestoreMakes(part.directory, recorded, prepared.manifest.files);
    keptOutputs.set(
      part,
      kept.map((path) => resolve(part.directory, path)),
    );
    return kept;
  },

  async cacheStatus(part) {
    const settings = readSettings(part);
    return outputCacheOf(part, settings)?.status(cacheKey(part), part);
  },
});
