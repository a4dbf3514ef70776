// Types of registry.mjs for the TypeScript tests.

export interface Registry {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  /** Environment for npm and for the buildout command: temporary npm cache and user config. */
  readonly env: Record<string, string>;
  /** Writes a package folder and publishes it; returns the folder. */
  publish(files: Record<string, string>): Promise<string>;
  /** `npm pack` of a folder into `destination`; returns the tarball path. */
  pack(folder: string, destination: string): Promise<string>;
  /** Stops verdaccio (the storage stays) and starts it again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folders. */
  close(): Promise<void>;
}

export function startRegistry(): Promise<Registry>;

/** A recipe package: its recipe writes `parts/NAME.txt` with `name@version` and the part's `text` option. */
export function recipePackage(name: string, version: string, extra?: Record<string, unknown>): Record<string, string>;
