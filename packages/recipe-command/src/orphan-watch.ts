/**
 * Stops the commands' process groups when buildout dies without a chance to
 * (kill -9, an out-of-memory kill): each command leads a group of its own, so
 * nothing else would, and a command of the dead run would go on writing while
 * the next run builds the same outputs. One small `sh` per process watches
 * the end of a pipe from buildout: it is told of each group as it starts and
 * ends, and when the pipe closes (buildout is gone) it kills the groups still
 * running. Nothing is killed after a normal exit: every group has ended (or
 * been killed) and been taken off its list by then.
 */
import { spawn, type ChildProcess } from 'node:child_process';

// POSIX sh: `+G` adds group G, `-G` takes it off; at end of input, SIGKILL to what is left.
const WATCHER = `groups=" "
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) groups="\${groups% \${line#-} *} \${groups#* \${line#-} }" ;;
  esac
done
for group in $groups; do kill -KILL "-$group" 2>/dev/null; done`;

let watcher: ChildProcess | undefined;

function start(): ChildProcess | undefined {
  try {
    // Its own group: a Ctrl-C at the terminal (or a kill of buildout's group) must leave it to see the pipe close.
    const started = spawn('/bin/sh', ['-c', WATCHER], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    started.on('error', () => {
      if (watcher === started) watcher = undefined;
    });
    started.stdin?.on('error', () => {});
    // Neither the watcher nor its pipe keeps buildout running.
    started.unref();
    (started.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return started;
  } catch {
    return undefined;
  }
}

/** Tells the watcher that process group `group` runs (true) or has ended (false). */
export function watchGroup(group: number, running: boolean): void {
  if (running) watcher ??= start();
  watcher?.stdin?.write(`${running ? '+' : '-'}${group}\n`);
}
