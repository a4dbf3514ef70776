/**
 * Reading the `packages` list of pnpm-workspace.yaml. A YAML parser costs
 * about 30 ms to load, a tenth of a no-op run of a 200-package workspace, so
 * the usual layout is read directly and only other files load the parser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '@buildout/engine';
import { CommandErrorCodes } from './errors.js';

export const PNPM_WORKSPACE_FILE = 'pnpm-workspace.yaml';

/** A block or one-line item: plain (not starting with a YAML indicator), or quoted without escapes. */
function scalar(raw: string, flow: boolean): string | undefined {
  const text = raw.trim();
  // In a one-line list a # would end the line, brackets included.
  if (flow && text.includes('#')) return undefined;
  const quoted = /^'([^']*)'(?:\s+#.*)?$/.exec(text) ?? /^"([^"\\]*)"(?:\s+#.*)?$/.exec(text);
  if (quoted) return quoted[1];
  const plain = text.replace(/\s+#.*$/, '');
  if (plain === '' || /^[-?:,[\]{}#&*!|>'"%@`]/.test(plain) || /:(\s|$)/.test(plain) || plain.includes('#')) return undefined;
  if (flow && /[[\]{},]/.test(plain)) return undefined;
  // Plain scalars YAML may read as numbers, booleans or null.
  if (/^[-+.~\d]/.test(plain) || /^(?:true|false|null)$/i.test(plain)) return undefined;
  return plain;
}

/**
 * The `packages` list of a file in the usual layout: top-level `key:` lines,
 * `packages:` followed by `  - glob` lines or a one-line `[a, 'b']`, comments.
 * Undefined for anything else (the full parser decides then).
 */
export function readSimplePackagesList(text: string): string[] | undefined {
  let packages: string[] | undefined;
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(?:#.*)?$/.test(line)) continue;
    if (line.includes('\t')) return undefined;
    // A block list may start at the key's own column: `packages:` then `- glob`.
    const topLevel = !/^\s/.test(line) && !(inPackages && line.startsWith('- '));
    if (topLevel) {
      const key = /^([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(line);
      if (!key) return undefined;
      inPackages = key[1] === 'packages';
      if (!inPackages) continue;
      if (packages) return undefined;
      packages = [];
      const value = (key[2] ?? '').replace(/^\s*#.*$/, '').trim();
      if (value === '') continue;
      const flow = /^\[(.*)\]\s*(?:#.*)?$/.exec(value);
      if (!flow) return undefined;
      const items = flow[1]!.split(',');
      // `[]` and a trailing comma (`[a, b,]`) leave one empty item at the end; any other is an error for the parser to report.
      if (items.at(-1)!.trim() === '') items.pop();
      for (const item of items) {
        const glob = scalar(item, true);
        if (glob === undefined) return undefined;
        packages.push(glob);
      }
      inPackages = false;
      continue;
    }
    // Indented lines belong to the last top-level key; only those of packages matter.
    if (!inPackages) continue;
    const item = /^\s*-\s+(.*)$/.exec(line);
    const glob = item ? scalar(item[1]!, false) : undefined;
    if (glob === undefined) return undefined;
    packages!.push(glob);
  }
  return packages ?? [];
}

/** The `packages` globs of `<root>/pnpm-workspace.yaml`, or undefined when there is no such file. */
export async function readPnpmWorkspace(root: string): Promise<string[] | undefined> {
  const file = join(root, PNPM_WORKSPACE_FILE);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const simple = readSimplePackagesList(text);
  if (simple) return simple;
  const { parse, YAMLParseError } = await import('yaml');
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const position = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
    throw new BuildoutError(
      CommandErrorCodes.WORKSPACE_BAD_FILE,
      `${PNPM_WORKSPACE_FILE} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      {
        location: position ? { file, line: position.line, column: position.col } : undefined,
      },
    );
  }
  const packages = (document as { packages?: unknown } | null)?.packages;
  if (packages === undefined || packages === null) return [];
  if (!Array.isArray(packages) || packages.some((pattern) => typeof pattern !== 'string')) {
    throw new BuildoutError(CommandErrorCodes.WORKSPACE_BAD_FILE, `${file}: packages must be a list of folder globs`, {
      hint: 'write a list, e.g. packages: ["packages/*", "apps/*"]',
    });
  }
  return packages as string[];
}
