/**
 * Parsers for the one-per-line options `programs`, `eventlisteners` and
 * `groups`. Pure functions: a line that does not parse is a BuildoutError
 * naming the part, the option, the line and what is wrong.
 */
import { posix } from 'node:path';
import { isPythonSpace } from '@buildout/engine';
import { problemAt, supervisorError, SupervisorErrorCodes, type Origin, type ProblemSite, type SupervisorErrorCode } from './errors.js';
import { numberedLines, tokenizeLine, type LineToken } from './line-tokens.js';
import { isControlCharacter } from './refusals.js';
import { parseProcessOptions, type ProcessOption } from './process-options.js';
import { EVENT_TYPES, EVENTLISTENER_KEYS, PROGRAM_KEYS } from './supervisor-vocabulary.js';

export const PROGRAM_LINE_FORMAT = 'priority name [(key=value ...)] command [[args]] [directory] [true|false] [user]';
export const EVENTLISTENER_LINE_FORMAT = 'name [(key=value ...)] events command [[args]]';
export const GROUP_LINE_FORMAT = 'priority name program1,program2';

export interface ProgramLine {
  readonly origin: Origin;
  readonly priority: string;
  readonly name: string;
  readonly options: readonly ProcessOption[];
  readonly command: string;
  /** The text inside `[...]`, trimmed; undefined when there are none. */
  readonly args: string | undefined;
  /** As given, else the command's folder; undefined for a bare command name (found on PATH). */
  readonly directory: string | undefined;
  readonly redirectStderr: boolean;
  readonly user: string | undefined;
}

export interface EventListenerLine {
  readonly origin: Origin;
  readonly name: string;
  readonly options: readonly ProcessOption[];
  readonly events: readonly string[];
  readonly command: string;
  readonly args: string | undefined;
}

export interface GroupLine {
  readonly origin: Origin;
  readonly priority: string;
  readonly name: string;
  readonly programs: readonly string[];
}

type LineOrigin = Origin & { readonly line: { readonly number: number; readonly text: string } };

/** A cursor over a line's tokens that raises errors in that line's terms. */
class LineReader {
  private index = 0;
  constructor(
    private readonly tokens: readonly LineToken[],
    readonly origin: LineOrigin,
    /** Where this line's problems are reported. */
    readonly site: ProblemSite,
  ) {}

  fail(problem: string): never {
    throw problemAt(this.site, problem);
  }

  peek(): LineToken | undefined {
    return this.tokens[this.index];
  }

  next(): LineToken | undefined {
    const token = this.tokens[this.index];
    if (token !== undefined) this.index += 1;
    return token;
  }

  /** The next token, which must be a plain word; `what` names it in the error. */
  word(what: string): string {
    const token = this.next();
    if (token === undefined) this.fail(`the ${what} is missing`);
    if (token.kind !== 'word') this.fail(`expected the ${what}, found ${JSON.stringify(token.text)}`);
    return token.text;
  }

  optional(kind: 'options' | 'arguments'): string | undefined {
    const token = this.peek();
    if (token?.kind !== kind) return undefined;
    this.index += 1;
    return token.inner;
  }

  rest(): LineToken[] {
    const rest = this.tokens.slice(this.index);
    this.index = this.tokens.length;
    return rest;
  }
}

function reader(origin: LineOrigin, code: SupervisorErrorCode, format: string): LineReader {
  const site: ProblemSite = { code, origin, hint: `a line is: ${format}` };
  return new LineReader(tokenizeLine(origin.line.text, site), origin, site);
}

function priority(line: LineReader): string {
  const text = line.word('priority');
  if (!/^\d+$/.test(text)) line.fail(`the priority must be a whole number, found ${JSON.stringify(text)}`);
  return text;
}

/**
 * supervisord refuses names with a space, ":" or "/" (they would break the
 * event listener protocol and the web UI's URLs).
 */
function processName(line: LineReader, what: string): string {
  const name = line.word(what);
  const bad = [...name].find(
    (character) => character === ':' || character === '/' || isPythonSpace(character) || isControlCharacter(character),
  );
  if (bad !== undefined) {
    throw supervisorError(
      SupervisorErrorCodes.BAD_NAME,
      line.origin,
      `the ${what} ${JSON.stringify(name)} contains ${JSON.stringify(bad)}; supervisord refuses names with a space, ":" or "/" (and control characters)`,
    );
  }
  return name;
}

function processOptions(line: LineReader, knownKeys: ReadonlySet<string>): ProcessOption[] {
  const inner = line.optional('options');
  if (inner === undefined) return [];
  return parseProcessOptions(inner, knownKeys, line.site);
}

function args(line: LineReader): string | undefined {
  const inner = line.optional('arguments');
  const trimmed = inner?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function trailingWords(line: LineReader, after: string): string[] {
  return line.rest().map((token) => {
    if (token.kind !== 'word') line.fail(`unexpected ${JSON.stringify(token.text)} after the ${after}`);
    return token.text;
  });
}

// A directory is absolute, or starts with a supervisord expansion such as %(here)s.
function isDirectory(word: string): boolean {
  return word.startsWith('/') || word.startsWith('%(');
}

export function parseProgramLine(origin: LineOrigin): ProgramLine {
  const line = reader(origin, SupervisorErrorCodes.BAD_PROGRAM_LINE, PROGRAM_LINE_FORMAT);
  const linePriority = priority(line);
  const name = processName(line, 'program name');
  const options = processOptions(line, PROGRAM_KEYS);
  const command = line.word('command');
  const lineArgs = args(line);
  const words = trailingWords(line, lineArgs === undefined ? 'command' : 'arguments');

  // [directory] [true|false] [user]: the boolean, when present, splits the rest.
  const flagIndex = words.findIndex((word) => word === 'true' || word === 'false');
  const before = flagIndex === -1 ? words.slice(0, 1) : words.slice(0, flagIndex);
  const after = flagIndex === -1 ? words.slice(1) : words.slice(flagIndex + 1);
  if (before.length > 1) line.fail(`expected a directory and then true or false, found ${JSON.stringify(before.join(' '))}`);
  if (after.length > 1) line.fail(`unexpected ${JSON.stringify(after.slice(1).join(' '))} after the user`);
  const givenDirectory = before[0];
  if (givenDirectory !== undefined && !isDirectory(givenDirectory)) {
    line.fail(
      `the directory ${JSON.stringify(givenDirectory)} is not an absolute path` +
        ` (to name a user without a directory, put true or false before it: "... false ${givenDirectory}")`,
    );
  }
  const commandFolder = command.includes('/') ? posix.dirname(command) : undefined;
  return {
    origin,
    priority: linePriority,
    name,
    options,
    command,
    args: lineArgs,
    directory: givenDirectory ?? commandFolder,
    redirectStderr: flagIndex !== -1 && words[flagIndex] === 'true',
    user: after[0],
  };
}

export function parseEventListenerLine(origin: LineOrigin): EventListenerLine {
  const line = reader(origin, SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, EVENTLISTENER_LINE_FORMAT);
  const name = processName(line, 'event listener name');
  const options = processOptions(line, EVENTLISTENER_KEYS);
  for (const option of options) {
    if (option.key === 'events') line.fail('give the events after the name and options, not as a process option');
    if (option.key === 'redirect_stderr' && option.value.toLowerCase() !== 'false') {
      line.fail('supervisord refuses redirect_stderr for an event listener (it would break the event listener protocol)');
    }
  }
  const eventsWord = line.word('events');
  const events = eventsWord.split(',');
  for (const event of events) {
    if (event === '')
      line.fail(`the events ${JSON.stringify(eventsWord)} contain an empty name (write them comma-separated, without spaces)`);
    if (!EVENT_TYPES.has(event.toUpperCase())) {
      throw supervisorError(
        SupervisorErrorCodes.UNKNOWN_EVENT,
        origin,
        `unknown event type ${JSON.stringify(event)}; supervisord knows ${[...EVENT_TYPES].join(', ')}`,
      );
    }
  }
  const command = line.word('command');
  const lineArgs = args(line);
  const extra = line.rest()[0];
  if (extra !== undefined)
    line.fail(`unexpected ${JSON.stringify(extra.text)} after the ${lineArgs === undefined ? 'command' : 'arguments'}`);
  return { origin, name, options, events, command, args: lineArgs };
}

export function parseGroupLine(origin: LineOrigin): GroupLine {
  const line = reader(origin, SupervisorErrorCodes.BAD_GROUP_LINE, GROUP_LINE_FORMAT);
  const linePriority = priority(line);
  const name = processName(line, 'group name');
  const programsWord = line.word('list of programs');
  const extra = line.rest()[0];
  if (extra !== undefined)
    line.fail(`unexpected ${JSON.stringify(extra.text)} after the programs (write them comma-separated, without spaces)`);
  const programs = programsWord.split(',');
  if (programs.some((program) => program === '')) {
    line.fail(`the programs ${JSON.stringify(programsWord)} contain an empty name (write them comma-separated, without spaces)`);
  }
  return { origin, priority: linePriority, name, programs };
}

function parseAll<T>(part: string, option: string, value: string | undefined, parse: (origin: LineOrigin) => T): T[] {
  return numberedLines(value).map((line) => parse({ part, option, line }));
}

export function parsePrograms(part: string, value: string | undefined): ProgramLine[] {
  return parseAll(part, 'programs', value, parseProgramLine);
}

export function parseEventListeners(part: string, value: string | undefined): EventListenerLine[] {
  return parseAll(part, 'eventlisteners', value, parseEventListenerLine);
}

export function parseGroups(part: string, value: string | undefined): GroupLine[] {
  return parseAll(part, 'groups', value, parseGroupLine);
}
