/**
 * Asks a Python interpreter what it has: can it import supervisor, which
 * plugin distributions are installed (by requirement, or by the local folder
 * pip installed them from), and their console scripts.
 */
import { runProcess } from './run-process.js';

export interface ProbedDistribution {
  /** The `plugins` entry: a requirement string or a local folder. */
  readonly spec: string;
  readonly name: string;
  /** [script name, entry point] pairs of its console_scripts. */
  readonly consoleScripts: ReadonlyArray<readonly [string, string]>;
}

export interface ProbeResult {
  /** sys.executable: the path scripts must use in their #! line. */
  readonly executable: string;
  /** Why supervisor cannot be imported, or undefined when it can. */
  readonly supervisorProblem: string | undefined;
  /** Entries of `plugins` that are not installed (or not in the required version). */
  readonly missing: readonly string[];
  readonly distributions: readonly ProbedDistribution[];
}

export interface ProbeRequest {
  readonly requirements: readonly string[];
  /** Local folders pip installed plugins from (matched through PEP 610 direct_url.json). */
  readonly localDirectories: readonly string[];
}

// Requirement strings with a version or marker are checked with `packaging`
// (pip's vendored copy when the interpreter lacks it); without either, they
// count as missing and pip decides.
const PROBE = String.raw`
import json, os, re, sys
from importlib import metadata
from urllib.parse import unquote, urlparse

request = json.loads(sys.argv[1])

def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()

def requirement_class():
    try:
        from packaging.requirements import Requirement
    except ImportError:
        try:
            from pip._vendor.packaging.requirements import Requirement
        except ImportError:
            return None
    return Requirement

installed = {}
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    if name:
        installed.setdefault(canonical(name), dist)

def describe(spec, dist):
    scripts = [[e.name, e.value] for e in dist.entry_points if e.group == "console_scripts"]
    return {"spec": spec, "name": dist.metadata["Name"], "consoleScripts": sorted(scripts)}

result = {"executable": sys.executable, "supervisorProblem": None, "missing": [], "distributions": []}
try:
    import supervisor.supervisord, supervisor.supervisorctl
except Exception as error:
    result["supervisorProblem"] = "%s: %s" % (type(error).__name__, error)

for spec in request["requirements"]:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?", spec)
    dist = installed.get(canonical(match.group(1))) if match else None
    rest = spec[match.end():].strip() if match else spec
    satisfied = dist is not None
    if satisfied and rest:
        Requirement = requirement_class()
        if Requirement is None:
            satisfied = False
        else:
            try:
                satisfied = Requirement(spec).specifier.contains(dist.version, prereleases=True)
            except Exception:
                satisfied = False
    if satisfied:
        result["distributions"].append(describe(spec, dist))
    else:
        result["missing"].append(spec)

def installed_from(dist):
    text = dist.read_text("direct_url.json")
    if not text:
        return None
    url = json.loads(text).get("url", "")
    return os.path.realpath(unquote(urlparse(url).path)) if url.startswith("file:") else None

for folder in request["localDirectories"]:
    wanted = os.path.realpath(folder)
    found = [dist for dist in installed.values() if installed_from(dist) == wanted]
    if found:
        result["distributions"].append(describe(folder, found[0]))
    else:
        result["missing"].append(folder)

print(json.dumps(result))
`;

export class PythonNotFound extends Error {}

/** Runs the probe with `python`; throws PythonNotFound when it cannot be started, Error when it fails. */
export async function probePython(python: string, request: ProbeRequest): Promise<ProbeResult> {
  let result: Awaited<ReturnType<typeof runProcess>>;
  try {
    result = await runProcess(python, ['-c', PROBE, JSON.stringify(request)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES') {
      throw new PythonNotFound(`cannot run ${JSON.stringify(python)}: ${(error as Error).message}`);
    }
    throw error;
  }
  const lastLine = result.stdout.trimEnd().split('\n').pop() ?? '';
  if (result.exitCode !== 0 || !lastLine.startsWith('{')) {
    throw new Error(
      `${python} could not report what it has installed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  const reported = JSON.parse(lastLine) as Omit<ProbeResult, 'supervisorProblem'> & { supervisorProblem: string | null };
  return { ...reported, supervisorProblem: reported.supervisorProblem ?? undefined };
}
