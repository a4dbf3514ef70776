/**
 * A command's outputs are removed with its part, so they may never name
 * buildout's own files and folders (the configuration, `.installed.cfg`, the
 * lock, bin, parts, the caches), the buildout directory or a folder above
 * it, nor the part's inputs: such an output pattern is refused when the part
 * is initialized, before anything runs (`plan` says so too).
 */
import { dirname, relative, sep } from 'node:path';
import { BuildoutError, describeOwnPath, ownPaths, type Part } from '@buildout/engine';
import { CommandErrorCodes } from './errors.js';
import { exactMatcher, folderAwareMatcher, parsePatterns, walkBases } from './glob.js';

interface Guarded {
  /** Relative to the command's cwd, `/`-separated (`..` for folders above it). */
  readonly path: string;
  readonly what: string;
  /** Names that start with `path` are guarded too (the journal, the lock's take-over file). */
  readonly withSuffixes?: boolean;
}

const HINT = 'outputs are removed with the part: name only what the command makes (dist, build/**), or leave a path out with !PATTERN';

/** A name no real file has: an output pattern matching it matches any file of its folder. */
const ANY_NAME = '.buildout-any-name-probe';

export function refuseForbiddenOutputs(part: Part, cwd: string, inputs: readonly string[], outputs: readonly string[]): void {
  const { include, exclude } = parsePatterns(outputs, cwd);
  if (include.length === 0) return;
  const excluded = folderAwareMatcher(exclude);
  const guarded = [...ownGuarded(part, cwd), ...inputGuarded(inputs, cwd)];
  for (const pattern of include) {
    const matches = exactMatcher([pattern]);
    for (const { path, what, withSuffixes } of guarded) {
      if (withSuffixes && pattern !== path && pattern.startsWith(path) && !pattern.slice(path.length).includes('/')) {
        throw new BuildoutError(CommandErrorCodes.COMMAND_BAD_OPTION, `outputs: ${pattern} matches files named ${path}..., ${what}`, {
          part: part.name,
          hint: HINT,
        });
      }
      // An output naming a folder removes all of it: check the folders holding the path too.
      for (const candidate of withFolders(path)) {
        if (!matches(candidate) || excluded(candidate)) continue;
        const holds = candidate === path ? '' : ` (it holds ${path})`;
        throw new BuildoutError(CommandErrorCodes.COMMAND_BAD_OPTION, `outputs: ${pattern} matches ${candidate}, ${what}${holds}`, {
          part: part.name,
          hint: HINT,
        });
      }
    }
  }
}

function ownGuarded(part: Part, cwd: string): Guarded[] {
  const at = (path: string): string => relative(cwd, path).split(sep).join('/') || '.';
  const guarded: Guarded[] = [];
  // The buildout directory and every folder above it.
  for (let folder = part.directory; ; folder = dirname(folder)) {
    guarded.push({
      path: at(folder),
      what: folder === part.directory ? describeOwnPath('directory') : 'a folder holding the buildout directory',
    });
    if (dirname(folder) === folder) break;
  }
  for (const own of ownPaths(part.buildout)) {
    guarded.push({ path: at(own.path), what: describeOwnPath(own.role), withSuffixes: own.withSuffixes });
  }
  return guarded;
}

/** What the input patterns name literally (`src` of `src/**`, `package.json`); a pattern over the whole folder (`**`, `*.ts`) adds a name standing for any file. */
function inputGuarded(inputs: readonly string[], cwd: string): Guarded[] {
  const { include } = parsePatterns(inputs, cwd);
  return walkBases(include).map((base) =>
    base === ''
      ? { path: ANY_NAME, what: 'any file here, and the inputs name every file here' }
      : { path: base, what: 'an input of this part' },
  );
}

/** `a/b/c` -> `a`, `a/b`, `a/b/c`; `../../x` -> `..`, `../..`, `../../x`. */
function withFolders(path: string): string[] {
  const segments = path.split('/');
  return segments.map((_, index) => segments.slice(0, index + 1).join('/'));
}
