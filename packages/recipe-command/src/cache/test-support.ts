/** For tests: cache artifacts laid out as packArtifact lays them out, with whatever manifest a test wants (a damaged or a hostile one). */
import { createHash } from 'node:crypto';
import { Header, PackSync, ReadEntry } from 'tar';
import { MANIFEST_PATH } from './artifact.js';

export interface ArchivedFile {
  readonly path: string;
  readonly content: string;
  /** The manifest's record of it (any shape: tests give wrong ones). */
  readonly entry: object;
}

/** A file and its manifest record; the record's hash is the content's unless `sha256` is given. */
export function archivedFile(
  path: string,
  content: string,
  { mode = 0o644, sha256 }: { mode?: number; sha256?: string } = {},
): ArchivedFile {
  return {
    path,
    content,
    entry: { path, sha256: sha256 ?? createHash('sha256').update(content).digest('hex'), size: content.length, mode },
  };
}

/** An archive laid out as packArtifact does, with whatever manifest the test wants. */
export function archive(key: string, files: readonly ArchivedFile[]): Buffer {
  const chunks: Buffer[] = [];
  const pack = new PackSync({ gzip: true, portable: true });
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  const add = (path: string, content: string): void => {
    const entry = new ReadEntry(new Header({ path, mode: 0o644, size: Buffer.byteLength(content), type: 'File', mtime: new Date(0) }));
    pack.add(entry);
    entry.end(Buffer.from(content));
  };
  add(MANIFEST_PATH, JSON.stringify({ format: 1, key, files: files.map((file) => file.entry), log: [] }));
  for (const file of files) add(file.path, file.content);
  pack.end();
  return Buffer.concat(chunks);
}
