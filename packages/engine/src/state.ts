/**
 * What has been installed: `.installed.cfg` in zc.buildout's layout
 * (`[buildout] parts = ...` in installed order, then one section per part with
 * its resolved options, `__buildout_installed__` and `__buildout_signature__`),
 * plus an append-only journal next to it.
 *
 * Rewriting `.installed.cfg` after every part would make an install of n
 * parts cost O(n²); instead every finished part appends one line to
 * `<installed>.journal`, and the end of a run folds the journal into
 * `.installed.cfg` (written atomically) and deletes it. A run that died leaves
 * the journal behind; the next run replays it, so no finished part is
 * forgotten and the paths of an unfinished one are known and cleaned up.
 */
import { closeSync, fchmodSync, openSync, rmSync, writeSync } from 'node:fs';
import {
  type Buildout,
  BuildoutError,
  isBuildoutError,
  isPythonSpaceCode,
  PART_DEPENDENCIES,
  parseConfigText,
  readTextFileSync,
  trimmedEnd,
  trimmedStart,
  words,
  writeFileAtomic,
} from '@buildout/config';
import { EngineErrorCodes } from './errors.js';
import { readWrittenSections } from './installed-reader.js';
import { parseJournalLine } from './journal-line.js';

export interface InstalledPart {
  /** The part's resolved options when it was installed. */
  readonly options: Readonly<Record<string, string>>;
  /** Paths the part created (absolute, or relative to the buildout directory), removed on uninstall. */
  readonly installed: readonly string[];
  /** Recipe identity and version. */
  readonly signature: string;
}

export interface InstalledState {
  /** In installed order. */
  readonly parts: ReadonlyMap<string, InstalledPart>;
}

export const INSTALLED_OPTION = '__buildout_installed__';
/** The journal is `<installed>.journal`. */
export const JOURNAL_SUFFIX = '.journal';
/** `.installed.cfg` and its journal hold every option value (passwords too): only their owner may read them. */
export const STATE_FILE_MODE = 0o600;
export const SIGNATURE_OPTION = '__buildout_signature__';

export type JournalRecord =
  /** The part finished installing or updating: this is its state now. */
  | { readonly op: 'record'; readonly part: string; readonly state: InstalledPart }
  /** The part was uninstalled, or dropped after a failed update. */
  | { readonly op: 'remove'; readonly part: string }
  /** The part registered paths while installing (`part.created`). */
  | { readonly op: 'created'; readonly part: string; readonly paths: readonly string[] }
  /** The part failed and its registered paths were removed. */
  | { readonly op: 'discard'; readonly part: string };

/** Paths a part registered in a run that died before the part finished. */
export interface InterruptedPart {
  readonly part: string;
  readonly paths: readonly string[];
}

export interface LoadedState {
  readonly state: InstalledState;
  /** Parts a dead run left unfinished (empty unless a journal was replayed). */
  readonly interrupted: readonly InterruptedPart[];
  /** A journal of a dead run was replayed. */
  readonly recovered: boolean;
}

export class StateStore {
  readonly journalFile: string;
  private journal: number | undefined;

  constructor(readonly file: string) {
    this.journalFile = `${file}${JOURNAL_SUFFIX}`;
  }

  /** `.installed.cfg` with the journal of a dead run (if any) replayed on top. Reads only. */
  load(): LoadedState {
    const installed = readTextFileSync(this.file, 'the record of installed parts');
    // Buildout deletes the record when no part is left: a blank one was damaged (a power cut, a mistaken `> file`).
    if (installed !== undefined && installed.trim() === '') {
      throw new BuildoutError(EngineErrorCodes.STATE_CORRUPT, `${this.file} is empty, so which parts are installed is not known`, {
        location: { file: this.file, line: 1, column: 1 },
        hint: startOver(this.file),
      });
    }
    const parts = installed === undefined ? new Map() : parseInstalledCfg(installed, this.file);
    const journal = readTextFileSync(this.journalFile, 'the journal of installed parts');
    if (journal === undefined) return { state: { parts }, interrupted: [], recovered: false };
    const interrupted = replayJournal(journal, this.journalFile, parts);
    return { state: { parts }, interrupted, recovered: true };
  }

  /** Appends one record; it survives the process being killed right after. */
  append(record: JournalRecord): void {
    if (this.journal === undefined) {
      this.journal = openSync(this.journalFile, 'a', STATE_FILE_MODE);
      // A journal left by a dead run of an older version may have been created readable by all.
      fchmodSync(this.journal, STATE_FILE_MODE);
    }
    writeSync(this.journal, `${JSON.stringify(record)}\n`);
  }

  /** Writes the whole state to `.installed.cfg` (deleted when no part is left) and drops the journal. */
  async save(state: InstalledState): Promise<void> {
    if (state.parts.size === 0) rmSync(this.file, { force: true });
    else await writeFileAtomic(this.file, formatInstalledCfg(state), { mode: STATE_FILE_MODE });
    this.closeJournal();
    rmSync(this.journalFile, { force: true });
  }

  /** Records were appended in this run (so `.installed.cfg` is out of date). */
  get hasJournal(): boolean {
    return this.journal !== undefined;
  }

  closeJournal(): void {
    if (this.journal !== undefined) closeSync(this.journal);
    this.journal = undefined;
  }
}

function replayJournal(text: string, file: string, parts: Map<string, InstalledPart>): InterruptedPart[] {
  const pending = new Map<string, string[]>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line === '') return;
    const record = parseJournalLine(line, { file, line: index + 1, last: index >= lines.length - 2 });
    if (record === undefined) return;
    switch (record.op) {
      case 'record':
        parts.delete(record.part);
        parts.set(record.part, record.state);
        pending.delete(record.part);
        break;
      case 'remove':
        parts.delete(record.part);
        pending.delete(record.part);
        break;
      case 'created': {
        const paths = pending.get(record.part) ?? [];
        paths.push(...record.paths);
        pending.set(record.part, paths);
        break;
      }
      case 'discard':
        pending.delete(record.part);
        break;
    }
  });
  return [...pending].map(([part, paths]) => ({ part, paths }));
}

/**
 * A part's record holds its options beside INSTALLED_OPTION and
 * SIGNATURE_OPTION: an option of either name would be read back as the
 * part's paths (which uninstall removes) or its signature.
 */
export function refuseRecordNames(part: string, options: Readonly<Record<string, string>>, buildout: Buildout): void {
  for (const option of [INSTALLED_OPTION, SIGNATURE_OPTION]) {
    if (!Object.hasOwn(options, option)) continue;
    throw new BuildoutError(EngineErrorCodes.RESERVED_NAME, `part ${part} has an option named ${option}, which buildout keeps for itself`, {
      location: buildout.location(part, option),
      part,
      hint: `.installed.cfg records the part's ${option === INSTALLED_OPTION ? 'installed paths' : 'recipe signature'} under that name; rename the option`,
    });
  }
}

export function formatInstalledCfg(state: InstalledState): string {
  const chunks: string[] = [`[buildout]\nparts = ${[...state.parts.keys()].join(' ')}\n`];
  for (const [name, part] of state.parts) {
    let section = `\n[${name}]\n`;
    section += formatOption(INSTALLED_OPTION, part.installed.join('\n'));
    section += formatOption(SIGNATURE_OPTION, part.signature);
    for (const [option, value] of Object.entries(part.options)) section += formatOption(option, value);
    chunks.push(section);
  }
  return chunks.join('');
}

function formatOption(option: string, value: string): string {
  if (option === PART_DEPENDENCIES) return `=> ${encodeValue(value)}\n`;
  return `${option} = ${encodeValue(value)}\n`;
}

export function parseInstalledCfg(text: string, file: string): Map<string, InstalledPart> {
  const values = readWrittenSections(text) ?? parseSections(text, file);
  // Every record begins with [buildout] parts: a file without it is someone else's, which saving would replace (or delete).
  // A blank one is refused when loaded (StateStore.load); comments alone are someone's notes.
  if (values.get('buildout')?.get('parts') === undefined && text.trim() !== '') {
    throw new BuildoutError(EngineErrorCodes.STATE_CORRUPT, `${file} is not a record of installed parts: it has no [buildout] parts`, {
      location: { file, line: 1, column: 1 },
      hint: RECORD_FILE_HINT,
    });
  }
  const parts = new Map<string, InstalledPart>();
  const names = decodeValue(values.get('buildout')?.get('parts') ?? '');
  for (const name of words(names)) {
    const recorded = values.get(name);
    if (!recorded) {
      throw new BuildoutError(EngineErrorCodes.STATE_CORRUPT, `part ${name} is listed as installed but has no section`, {
        location: { file, line: 1, column: 1 },
        hint: startOver(file),
      });
    }
    const options: Record<string, string> = {};
    // forEach, not for...of: this runs once per recorded option, in code too cold to lose the iterator's objects.
    recorded.forEach((value, option) => {
      if (option !== INSTALLED_OPTION && option !== SIGNATURE_OPTION) options[option] = decodeValue(value);
    });
    const installed = decodeValue(recorded.get(INSTALLED_OPTION) ?? '');
    parts.set(name, {
      options,
      installed: installed === '' ? [] : installed.split('\n'),
      signature: decodeValue(recorded.get(SIGNATURE_OPTION) ?? ''),
    });
  }
  return parts;
}

const startOver = (file: string): string => `delete ${file} to start over (files installed before are then left in place)`;
/** For a record file that is not one: it is rewritten on every run, and deleted with the last part. */
export const RECORD_FILE_HINT =
  'buildout:installed must name a file of its own: buildout records the installed parts in it and rewrites it on every run (the default is .installed.cfg)';

/** Raw values by section and option, read with the config parser (a record not in the layout this engine writes). */
function parseSections(text: string, file: string): Map<string, Map<string, string>> {
  let sections: ReturnType<typeof parseConfigText>;
  try {
    sections = parseConfigText(text, file);
  } catch (error) {
    if (!isBuildoutError(error)) throw error;
    throw new BuildoutError(EngineErrorCodes.STATE_CORRUPT, `the record of installed parts cannot be read: ${error.message}`, {
      location: error.location,
      hint: text.startsWith('[buildout]') ? startOver(file) : RECORD_FILE_HINT,
      cause: error,
    });
  }
  const values = new Map<string, Map<string, string>>();
  for (const section of sections) {
    const options = values.get(section.name) ?? new Map<string, string>();
    for (const option of section.options) options.set(option.name, option.value);
    values.set(section.name, options);
  }
  return values;
}

/*
 * Values must read back exactly through the config parser, which trims lines
 * (of whatever Python's str.strip() trims) and drops blank ones. As zc.buildout
 * does, whitespace the parser would lose is written as `%(__buildout_space...__)s`
 * tokens (`space_xHHHH` for what zc.buildout has no token for: U+00A0 and
 * the like); a newline between two non-empty lines stays a real continuation
 * line (`\n\t`) so values remain readable. `%(` itself is escaped so a
 * literal token survives too.
 */
const ESCAPES: Record<string, string> = {
  ' ': '%(__buildout_space__)s',
  '\t': '%(__buildout_space_t__)s',
  '\n': '%(__buildout_space_n__)s',
  '\r': '%(__buildout_space_r__)s',
  '\f': '%(__buildout_space_f__)s',
  '\v': '%(__buildout_space_v__)s',
  '%(': '%(__buildout_percent__)s(',
};
const UNESCAPES = new Map(Object.entries(ESCAPES).map(([text, token]) => [token.replace(/\($/, ''), text.replace(/\($/, '')]));
const TOKEN = /%\(__buildout_(?:space|space_[tnrfv]|space_x[0-9a-f]{4}|percent)__\)s/g;

/** The whitespace the parser trims from the ends of a line. */
const isEdgeSpace = (code: number): boolean => code !== 0x0a && isPythonSpaceCode(code);
const escapeChar = (char: string): string => ESCAPES[char] ?? `%(__buildout_space_x${char.charCodeAt(0).toString(16).padStart(4, '0')}__)s`;
const escapeAll = (text: string): string => [...text].map(escapeChar).join('');

// What str.isspace() holds but \n, as the inside of a character class.
const SPACE = String.raw`\t\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
/**
 * What encodeValue would change: `%(`, a CR, FF or VT anywhere, whitespace
 * at either end of a line, an empty line. Most values have none: they are
 * written as they are, with `\n\t` between lines (a first install of
 * thousands of parts writes tens of thousands of values).
 */
const NEEDS_ESCAPES = new RegExp(String.raw`%\(|[\r\f\v]|^[${SPACE}\n]|[${SPACE}\n]$|\n[${SPACE}\n]|[${SPACE}]\n`);

export function encodeValue(value: string): string {
  if (!NEEDS_ESCAPES.test(value)) return value.includes('\n') ? value.replaceAll('\n', '\n\t') : value;
  const lines = value.replaceAll('%(', ESCAPES['%(']!).split('\n');
  let text = '';
  let current = '';
  lines.forEach((line, index) => {
    // Scanned, not matched with /\s+$/, which is quadratic in a long run of spaces.
    const start = trimmedStart(line, isEdgeSpace);
    const end = Math.max(start, trimmedEnd(line, isEdgeSpace));
    const escaped =
      escapeAll(line.slice(0, start)) + line.slice(start, end).replace(/[\r\f\v]/g, (char) => ESCAPES[char]!) + escapeAll(line.slice(end));
    if (index > 0) {
      if (current !== '' && escaped !== '') {
        text += `${current}\n\t`;
        current = '';
      } else current += ESCAPES['\n'];
    }
    current += escaped;
  });
  return text + current;
}

export function decodeValue(text: string): string {
  return text.includes('%(') ? text.replace(TOKEN, unescapeToken) : text;
}

const unescapeToken = (token: string): string =>
  UNESCAPES.get(token) ?? String.fromCharCode(Number.parseInt(token.slice('%(__buildout_space_x'.length, -'__)s'.length), 16));

/** Recorded parts in plan order, then the recorded parts the plan left alone in their old order. */
export function orderState(state: ReadonlyMap<string, InstalledPart>, order: readonly string[]): Map<string, InstalledPart> {
  const ordered = new Map<string, InstalledPart>();
  for (const part of order) {
    const recorded = state.get(part);
    if (recorded) ordered.set(part, recorded);
  }
  for (const [part, recorded] of state) if (!ordered.has(part)) ordered.set(part, recorded);
  return ordered;
}
