/**
 * Who listens on a TCP port or a unix socket path, from /proc (Linux): the
 * listening socket's inode in /proc/net/{tcp,tcp6,unix}, then the process
 * holding that inode among /proc/PID/fd. Where /proc tells nothing, nothing
 * is reported.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { commandLine } from './running-supervisord.js';

export interface Listener {
  /** Undefined when the socket is there but its process is not visible (another user's, without privileges). */
  readonly pid: number | undefined;
  readonly command: string | undefined;
}

const TCP_LISTEN = '0A';
// __SO_ACCEPTCON in /proc/net/unix's Flags: a listening socket.
const UNIX_ACCEPTING = 0x10000;

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Inodes of sockets listening on TCP `port` (any local address). */
function tcpListeners(port: number): string[] {
  const inodes: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (readProc(table) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (local === undefined || fields[3] !== TCP_LISTEN) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && fields[9] !== undefined) inodes.push(fields[9]);
    }
  }
  return inodes;
}

function unixListeners(path: string): string[] {
  const inodes: string[] = [];
  for (const line of (readProc('/proc/net/unix') ?? '').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8 || fields.slice(7).join(' ') !== path) continue;
    if ((Number.parseInt(fields[3]!, 16) & UNIX_ACCEPTING) !== 0) inodes.push(fields[6]!);
  }
  return inodes;
}

/** The socket inodes among the open files of `pid`. */
function socketsOf(pid: string, wanted: ReadonlySet<string>): Set<string> {
  const held = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return held;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (wanted.has(target)) held.add(target);
    } catch {
      // closed meanwhile
    }
  }
  return held;
}

/**
 * Processes holding one of the socket inodes. `expected` (the part's own
 * supervisord) is looked at first: when it holds them all, the other
 * processes are not searched.
 */
function holders(inodes: readonly string[], expected: number | undefined): Listener[] {
  if (inodes.length === 0) return [];
  const wanted = new Set(inodes.map((inode) => `socket:[${inode}]`));
  const listener = (pid: string): Listener => ({ pid: Number(pid), command: commandLine(Number(pid))?.join(' ') });
  if (expected !== undefined && socketsOf(String(expected), wanted).size === wanted.size) return [listener(String(expected))];
  const found = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && socketsOf(entry, wanted).size > 0)
    .map(listener);
  return found.length > 0 ? found : [{ pid: undefined, command: undefined }];
}

export function portListeners(port: number, expected?: number): Listener[] {
  return holders(tcpListeners(port), expected);
}

export function socketListeners(path: string, expected?: number): Listener[] {
  return holders(unixListeners(path), expected);
}

export function describeListener(listener: Listener): string {
  if (listener.pid === undefined) return 'a process this user cannot see';
  return listener.command === undefined || listener.command === '' ? `pid ${listener.pid}` : `pid ${listener.pid} (${listener.command})`;
}
