/**
 * What a section condition can name: zc.buildout's convenience names
 * (`linux`, `posix`, `python3`, ...), PEP 508 marker names, and the three
 * modules zc.buildout puts in scope (`sys`, `os`, `platform`) with the
 * members real buildouts use. Where a value is Python's, it describes the
 * `python3` on PATH (the interpreter recipes would run), asked only when a
 * condition uses it; see docs/conditions.md.
 */
import { arch, endianness, machine, platform, release } from 'node:os';
import { childProcess } from './builtins.js';

/** A tuple (`(3, 11)`, `sys.version_info`); `fields` gives named members such as `major`. */
export class Tuple {
  constructor(
    readonly items: readonly Value[],
    readonly fields: Readonly<Record<string, number>> = {},
  ) {}
}

/** A module or object with a fixed set of members; `name` is how messages spell it (`sys`). */
export class Namespace {
  constructor(
    readonly name: string,
    readonly members: Readonly<Record<string, Value | (() => Value)>>,
  ) {}
}

/** A callable (`platform.system`, `'x'.startswith`); it throws ConditionFault for bad arguments. */
export class Callable {
  constructor(
    readonly name: string,
    readonly call: (args: readonly Value[]) => Value,
  ) {}
}

/** `os.environ`: `.get(key[, default])`, `environ[key]` and `key in environ`. */
export class Mapping {
  constructor(
    readonly name: string,
    readonly entries: Readonly<Record<string, string | undefined>>,
  ) {}
  lookup(key: string): string | undefined {
    return Object.hasOwn(this.entries, key) ? this.entries[key] : undefined;
  }
}

export type Value = string | number | boolean | null | Tuple | Namespace | Callable | Mapping;

/** A failure inside an evaluation, turned into a located BuildoutError by the evaluator. */
export class ConditionFault extends Error {}

export type ConditionNames = Readonly<Record<string, Value | (() => Value)>>;

/** Python's name of a value's type, for messages. */
export function typeName(value: Value): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (value instanceof Tuple) return 'tuple';
  if (value instanceof Callable) return 'function';
  return value.name;
}

export function callable(name: string, arity: readonly [number, number], body: (args: readonly Value[]) => Value): Callable {
  return new Callable(name, (args) => {
    const [least, most] = arity;
    if (args.length < least || args.length > most) {
      const wanted = least === most ? `${least}` : `${least} to ${most}`;
      throw new ConditionFault(`${name}() takes ${wanted} argument${most === 1 ? '' : 's'}, not ${args.length}`);
    }
    return body(args);
  });
}

const constant = (name: string, value: Value): Callable => callable(name, [0, 0], () => value);

interface PythonFacts {
  readonly versionInfo: readonly [number, number, number, string, number];
  readonly implementation: string;
}

let probed: PythonFacts | null | undefined;
let probeFailure = '';
/** The `python3` on PATH, asked once per process; null when there is none (or it does not answer). */
function python(): PythonFacts | null {
  if (probed === undefined) {
    try {
      const out = childProcess()
        .execFileSync('python3', ['-c', 'import sys, platform; print(*sys.version_info[:5], platform.python_implementation())'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 10_000,
        })
        .trim();
      const [major, minor, micro, level, serial, implementation] = out.split(' ');
      probed = {
        versionInfo: [Number(major), Number(minor), Number(micro), level ?? 'final', Number(serial)],
        implementation: implementation ?? 'CPython',
      };
    } catch (error) {
      const code = (error as { code?: string }).code;
      probeFailure = code === 'ENOENT' ? 'there is none' : `it did not answer (${(error as Error).message.split('\n')[0]})`;
      probed = null;
    }
  }
  return probed;
}

function needPython(what: string): PythonFacts {
  const facts = python();
  if (!facts) throw new ConditionFault(`${what} describes the python3 on PATH, and ${probeFailure}`);
  return facts;
}

const pythonVersion = (): string => {
  const facts = python();
  return facts ? facts.versionInfo.slice(0, 2).join('.') : '';
};

/** The names a condition may use, for this machine. Values that cost something to compute are functions. */
export function platformNames(env: Readonly<Record<string, string | undefined>> = process.env): ConditionNames {
  const system = platform();
  const bits32 = ['ia32', 'arm', 'mips', 'mipsel', 'ppc'].includes(arch());
  const systemName = { linux: 'Linux', darwin: 'Darwin', win32: 'Windows' }[system as string] ?? system;
  const osName = system === 'win32' ? 'nt' : 'posix';
  const names: Record<string, Value | (() => Value)> = {
    linux: system === 'linux',
    windows: system === 'win32',
    macosx: system === 'darwin',
    cygwin: system === 'cygwin',
    solaris: system === 'sunos',
    posix: system !== 'win32',
    bits32,
    bits64: !bits32,
    little_endian: endianness() === 'LE',
    big_endian: endianness() === 'BE',
    // PEP 508 markers that make sense for a Node process.
    sys_platform: system,
    platform_system: systemName,
    platform_machine: machine(),
    platform_release: release(),
    os_name: osName,
    node_version: process.versions.node,
    // zc.buildout's interpreter names describe the Python that runs buildout;
    // here they describe the `python3` on PATH.
    python2: false,
    python3: true,
    cpython: () => python()?.implementation === 'CPython',
    pypy: () => python()?.implementation === 'PyPy',
    jython: false,
    ironpython: false,
    python_version: pythonVersion,
    sys: new Namespace('sys', {
      platform: system,
      version_info: () => {
        const info = needPython('sys.version_info').versionInfo;
        return new Tuple(info, { major: 0, minor: 1, micro: 2, releaselevel: 3, serial: 4 });
      },
      // Python's sys.maxsize on a 64-bit (or 32-bit) build; a JavaScript number, exact enough to compare.
      maxsize: bits32 ? 2 ** 31 - 1 : 2 ** 63 - 1,
    }),
    os: new Namespace('os', {
      name: osName,
      sep: system === 'win32' ? '\\' : '/',
      pathsep: system === 'win32' ? ';' : ':',
      linesep: system === 'win32' ? '\r\n' : '\n',
      environ: new Mapping('os.environ', env),
    }),
    platform: new Namespace('platform', {
      system: constant('platform.system', systemName),
      machine: constant('platform.machine', machine()),
      release: constant('platform.release', release()),
      python_implementation: callable(
        'platform.python_implementation',
        [0, 0],
        () => needPython('platform.python_implementation()').implementation,
      ),
      python_version: callable('platform.python_version', [0, 0], () =>
        needPython('platform.python_version()').versionInfo.slice(0, 3).join('.'),
      ),
    }),
  };
  for (const minor of ['27', ...Array.from({ length: 16 }, (_, index) => `3${index}`)]) {
    names[`python${minor}`] = () => pythonVersion().replace('.', '') === minor;
  }
  return names;
}
