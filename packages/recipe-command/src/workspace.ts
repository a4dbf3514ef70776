/**
 * The `workspace` meta-recipe: one `command` part per workspace package that
 * has the chosen script, depending on the parts of the workspace packages it
 * depends on. Each part's `dependency-hashes` option refers to its
 * dependencies' `inputs-hash`, so editing a package re-runs it and every
 * package that depends on it, directly or not, and nothing else. See
 * README.md for the options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { BuildoutError, defineRecipe, words, type Part } from '@buildout/engine';
import { INPUTS_HASH_OPTION } from './command.js';
import { CommandErrorCodes } from './errors.js';
import { sha256 } from './hash-cache.js';
import { lines, misspeltOptions, optional } from './options.js';
import { PNPM_WORKSPACE_FILE, readPnpmWorkspace } from './pnpm-workspace-file.js';
import { discoverPackages, partNameFor, taskDependencies, type WorkspacePackage } from './workspace-discovery.js';

/** The option of a generated part that carries its dependencies' hashes. */
export const DEPENDENCY_HASHES_OPTION = 'dependency-hashes';
/** The option of every generated part that carries the workspace lock file's hash: upgrading an external dependency rebuilds everything. */
export const LOCK_FILE_OPTION = 'lock-file';
/** Lock files of the package managers, the first found at the workspace root counts. */
const LOCK_FILES = ['pnpm-lock.yaml', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'bun.lock'];
/** What a `${section:option}` reference may name (config/references.ts), without spaces. */
const PART_NAME = /^[-a-zA-Z0-9._]+$/;

export interface GeneratedPart {
  readonly name: string;
  readonly package: WorkspacePackage;
  /** Raw section options (`${...}` references included). */
  readonly options: Record<string, string>;
  /** The generated parts it is installed after. */
  readonly after: readonly string[];
}

/** Shell-quotes a word unless it is plainly safe. */
function shellWord(word: string): string {
  return /^[-\w:.@/+=]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Values taken from files go into sections raw; a `${` or `$<` in them would be read as a reference. */
function literal(value: string, what: string, part: string): string {
  if (/\$[{<]/.test(value)) {
    throw new BuildoutError(
      CommandErrorCodes.WORKSPACE_BAD_FILE,
      `${what} contains ${'${'} or $<, which buildout would read as a reference: ${value}`,
      {
        part,
        hint: 'rename it, or set the option in buildout.cfg instead',
      },
    );
  }
  return value;
}

function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/') || '.';
}

/** The parts the workspace part defines (pure: reads the workspace, defines nothing). */
export async function planWorkspaceParts(part: Part): Promise<GeneratedPart[]> {
  const { options } = part;
  const root = resolve(part.directory, optional(options, 'root') ?? '.');
  const script = optional(options, 'script') ?? 'build';
  const fromOption = optional(options, 'packages');
  const fromFile = fromOption === undefined ? await readPnpmWorkspace(root) : undefined;
  const patterns = fromOption === undefined ? fromFile : words(fromOption);
  if (patterns === undefined || patterns.filter((pattern) => !pattern.startsWith('!')).length === 0) {
    throw new BuildoutError(
      CommandErrorCodes.WORKSPACE_NO_PACKAGES,
      `no workspace packages to look for in ${root}: ${fromFile ? `${PNPM_WORKSPACE_FILE} lists no packages` : `there is no packages option and no ${PNPM_WORKSPACE_FILE}`}`,
      {
        part: part.name,
        hint: 'set packages = <folder globs> (e.g. packages/*), or root = <folder holding pnpm-workspace.yaml>',
      },
    );
  }
  const runner = optional(options, 'runner') ?? (fromOption === undefined ? 'pnpm run' : 'npm run');
  const prefix = optional(options, 'prefix') ?? `${partNameFor('', script)}-`;
  const recipe = optional(options, 'command-recipe') ?? 'command';
  const inputs = words(options.inputs);
  const outputs = words(options.outputs);
  const env = lines(options.env);
  const lockFile = lockFileOption(root);

  const packages = discoverPackages(root, patterns);
  const withScript = packages.filter((pkg) => Object.hasOwn(pkg.scripts, script));
  const names = new Map<string, string>();
  const owners = new Map<string, WorkspacePackage>();
  for (const pkg of withScript) {
    const name = partNameFor(prefix, pkg.name);
    if (!PART_NAME.test(name)) {
      throw new BuildoutError(
        CommandErrorCodes.WORKSPACE_NAME_CLASH,
        `part name ${JSON.stringify(name)} for package ${pkg.name} is not a valid section name`,
        {
          part: part.name,
          hint: 'prefix may hold letters, digits, -, . and _ only',
        },
      );
    }
    const owner = owners.get(name);
    if (owner) {
      throw new BuildoutError(
        CommandErrorCodes.WORKSPACE_NAME_CLASH,
        `packages ${owner.name} and ${pkg.name} would both become part ${name}`,
        {
          part: part.name,
          hint: 'rename one of the packages, or exclude one with a !glob in packages',
        },
      );
    }
    if (part.buildout.has(name)) {
      throw new BuildoutError(
        CommandErrorCodes.WORKSPACE_NAME_CLASH,
        `package ${pkg.name} would become part ${name}, but section [${name}] already exists`,
        {
          part: part.name,
          hint: 'rename that section, or set prefix = <something else> in this part',
        },
      );
    }
    owners.set(name, pkg);
    names.set(pkg.name, name);
  }
  const dependencies = taskDependencies(packages, (pkg) => names.has(pkg.name));

  return withScript.map((pkg) => {
    const name = names.get(pkg.name)!;
    const after = (dependencies.get(pkg.name) ?? []).map((dependency) => names.get(dependency)!);
    // Packages inside this one are not its inputs.
    const nested = packages
      .filter((other) => other !== pkg && (pkg.folder === '.' || other.folder.startsWith(`${pkg.folder}/`)))
      .map((other) => `!${posixRelative(pkg.absolute, other.absolute)}`);
    const section: Record<string, string> = {
      recipe,
      package: literal(pkg.name, `package name ${pkg.name}`, part.name),
      cwd: literal(posixRelative(part.directory, pkg.absolute), `folder ${pkg.absolute}`, part.name),
      command: `${runner} ${shellWord(script)}`,
      inputs: [...(pkg.inputs ?? (inputs.length > 0 ? inputs : ['**'])), ...nested]
        .map((pattern) => literal(pattern, `input glob of ${pkg.name}`, part.name))
        .join('\n'),
    };
    const packageOutputs = pkg.outputs ?? outputs;
    if (packageOutputs.length > 0)
      section.outputs = packageOutputs.map((pattern) => literal(pattern, `output glob of ${pkg.name}`, part.name)).join('\n');
    if (env.length > 0) section.env = env.join('\n');
    for (const option of ['pass-env', 'cache'] as const) {
      const value = optional(options, option);
      if (value !== undefined) section[option] = literal(value, option, part.name);
    }
    if (lockFile !== undefined) section[LOCK_FILE_OPTION] = lockFile;
    if (after.length > 0) {
      section[DEPENDENCY_HASHES_OPTION] = after.map((dependency) => `\${${dependency}:${INPUTS_HASH_OPTION}}`).join('\n');
    }
    return { name, package: pkg, options: section, after };
  });
}

/** `<lock file name> <hash>` of the workspace's lock file; undefined when it has none. */
function lockFileOption(root: string): string | undefined {
  const name = LOCK_FILES.find((file) => existsSync(join(root, file)));
  return name === undefined ? undefined : `${name} ${sha256(readFileSync(join(root, name))).slice(0, 16)}`;
}

/** Every option the recipe reads, for did-you-mean warnings. */
const WORKSPACE_OPTIONS = [
  'root',
  'packages',
  'script',
  'runner',
  'prefix',
  'inputs',
  'outputs',
  'env',
  'pass-env',
  'cache',
  'command-recipe',
];

export default defineRecipe({
  async init(part) {
    for (const [given, meant] of misspeltOptions(part.options, WORKSPACE_OPTIONS))
      part.log.warn(`unknown option ${given}; did you mean ${meant}?`, { option: given });
    const generated = await planWorkspaceParts(part);
    for (const { name, options, after } of generated) part.defineSection(name, options, { part: true, after });
    part.log.debug(`${generated.length} packages with a ${optional(part.options, 'script') ?? 'build'} script`);
  },
  // The generated parts do the work; the workspace part itself creates nothing.
  install: () => [],
  update: () => [],
});
