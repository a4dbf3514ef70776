/**
 * Which copy of a recipe or extension package a buildout uses, zc.buildout's
 * way: `develop = DIR ...` packages in place; installed packages that match
 * the `[versions]` pin; otherwise the package is fetched into the eggs folder
 * (eggs.ts) from `find-links` tarballs or the registry (`index`), subject to
 * `offline`, `newest` and `allow-picked-versions`. Versions picked for
 * unpinned packages are reported (`show-picked-versions`) and appended to
 * `update-versions-file`.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
// Only the functions used: the whole package builds every range class and regular expression at start-up.
import valid from 'semver/functions/valid.js';
import { BuildoutError, isBuildoutError, monotonicNow, type Buildout } from '@buildout/config';
import { withEggsLock } from './eggs-lock.js';
import { EngineErrorCodes, interrupted } from './errors.js';
import type { LockContent } from './lock.js';
import {
  checkEggsFolder,
  findLinksTarball,
  ForeignEggsFolder,
  installedEgg,
  NpmFailure,
  npmInstall,
  npmLatestVersion,
  prepareEggs,
  type NpmOptions,
} from './eggs.js';
import type { LogRecord } from './hooks.js';
import { contentHash, readPackageJson, type InstalledPackage } from './modules.js';

const BUILDOUT = 'buildout';
/** What an npm package name may look like (lower case, optional scope). */
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export function isPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name);
}

/** A package and its identity in a part's signature. */
export interface UsedPackage {
  readonly installed: InstalledPackage;
  /** `name@version`, or `name@sha256:…` for a develop package. */
  readonly signature: string;
}

interface Settings {
  readonly eggs: string;
  readonly develop: readonly UsedPackage[];
  readonly versionsSection: string;
  readonly npm: NpmOptions;
  readonly findLinks: readonly string[];
  readonly newest: boolean;
  readonly allowPicked: boolean;
}

export class RecipePackages {
  private settingsRead: Settings | undefined;
  private readonly fromEggs = new Map<string, Promise<UsedPackage>>();
  /** Unpinned packages used from the eggs folder, with their versions. */
  private readonly picked = new Map<string, string>();

  constructor(
    private readonly buildout: Buildout,
    private readonly log: (record: LogRecord) => void,
    /** The running install's (none for a plan): once aborted, no fetch starts and a running one is stopped. */
    private readonly signal: () => AbortSignal | undefined = () => undefined,
  ) {}

  private get settings(): Settings {
    if (this.settingsRead) return this.settingsRead;
    const { buildout } = this;
    const option = (name: string): string => buildout.getOptional(BUILDOUT, name)?.trim() ?? '';
    const eggs = resolve(buildout.directory, option('eggs-directory') || 'eggs');
    const offline = buildout.getBoolean(BUILDOUT, 'offline', false);
    this.settingsRead = {
      eggs,
      develop: words(option('develop')).flatMap((folder) => this.developPackage(folder)),
      versionsSection: option('versions') || 'versions',
      npm: { registry: this.registry(option('index')), offline },
      findLinks: words(option('find-links')).map((link) => (/^[a-z]+:\/\//.test(link) ? link : resolve(buildout.directory, link))),
      newest: buildout.getBoolean(BUILDOUT, 'newest', true),
      allowPicked: buildout.getBoolean(BUILDOUT, 'allow-picked-versions', true),
    };
    return this.settingsRead;
  }

  /**
   * `index`: the registry packages come from. npm ignores a registry that is no URL and asks the
   * public one instead, where a typo would fetch (and run) a stranger's package: anything but an
   * http(s) URL is refused.
   */
  private registry(index: string): string | undefined {
    if (index === '') return undefined;
    let url: URL | undefined;
    try {
      url = new URL(index);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
      throw new BuildoutError(EngineErrorCodes.PACKAGE_BAD_SETTING, `index = ${index} is not an http(s) URL`, {
        location: this.buildout.location(BUILDOUT, 'index'),
        hint: 'name the registry recipe packages come from, such as index = https://registry.npmjs.org/ (npm would ask its default registry instead)',
      });
    }
    return index;
  }

  /** `develop = DIR ...`: the packages used in place, first wherever a recipe or extension is looked up. */
  develop(): readonly UsedPackage[] {
    return this.settings.develop;
  }

  /** The `[versions]` pin of a package, if any. */
  pin(name: string): string | undefined {
    const section = this.settings.versionsSection;
    if (!this.buildout.hasSection(section)) return undefined;
    const pin = this.buildout.getOptional(section, name)?.trim();
    if (pin === undefined || pin === '') return undefined;
    const version = valid(pin.replace(/^==?\s*/, ''));
    if (version === null) {
      throw new BuildoutError(EngineErrorCodes.PACKAGE_BAD_SETTING, `[${section}] ${name} = ${pin} is not a version`, {
        location: this.buildout.location(section, name),
        hint: `pin an exact version: ${name} = 1.2.3`,
      });
    }
    return version;
  }

  /** An installed package (found by Node's rules) can be used: it matches the pin, or there is none. */
  accepts(installed: InstalledPackage): boolean {
    const name = installed.json.name;
    if (name === undefined) return true;
    const pin = this.pin(name);
    return pin === undefined || installed.json.version === pin;
  }

  /** The package as the eggs folder has it now, without asking anything of a registry. */
  installedEgg(name: string): UsedPackage | undefined {
    if (!isPackageName(name)) return undefined;
    const installed = installedEgg(this.settings.eggs, name);
    return installed ? { installed, signature: describe(installed) } : undefined;
  }

  /** The package from the eggs folder: as installed when that is right, else fetched (once per run). */
  egg(name: string): Promise<UsedPackage> {
    let using = this.fromEggs.get(name);
    if (!using) {
      using = this.useEgg(name);
      this.fromEggs.set(name, using);
    }
    return using;
  }

  private async useEgg(name: string): Promise<UsedPackage> {
    const { eggs, newest, allowPicked, npm } = this.settings;
    const pin = this.pin(name);
    let installed = installedEgg(eggs, name);
    const keep = (found: InstalledPackage): UsedPackage => {
      // The command may have moved since the package was fetched: its engine forwarder follows.
      this.onEggsFolder(prepareEggs);
      if (pin === undefined) this.picked.set(name, found.json.version ?? '0.0.0');
      return { installed: found, signature: describe(found) };
    };
    if (pin === undefined && !allowPicked) {
      const version = installed?.json.version ?? (npm.offline ? undefined : await this.newestVersion(name));
      throw new BuildoutError(
        EngineErrorCodes.PACKAGE_NOT_PINNED,
        `package '${name}' has no version pin in [${this.settings.versionsSection}], and buildout:allow-picked-versions is false`,
        {
          location: this.buildout.location(BUILDOUT, 'allow-picked-versions'),
          hint: `add to [${this.settings.versionsSection}]: ${name} = ${version ?? 'VERSION'}`,
        },
      );
    }
    if (installed && (pin === undefined ? !newest || npm.offline : installed.json.version === pin)) return keep(installed);
    if (installed && pin === undefined && (await this.newestOrInstalled(name, installed)) === installed.json.version)
      return keep(installed);
    if (npm.offline) {
      const what = pin === undefined ? `package '${name}'` : `package '${name}' ${pin}`;
      const has = installed ? ` (${relative(this.buildout.directory, eggs) || eggs} has ${installed.json.version})` : '';
      throw new BuildoutError(
        EngineErrorCodes.PACKAGE_OFFLINE,
        `${what} is not installed${has}, and buildout:offline is true: nothing is downloaded`,
        {
          location: this.buildout.location(BUILDOUT, 'offline'),
          hint: 'set offline = false in [buildout] (or run buildout -O) to fetch it',
        },
      );
    }
    installed = await this.fetch(name, pin);
    return keep(installed);
  }

  /**
   * The newest version, or the installed one when the registry cannot be asked (it is down): as
   * zc.buildout uses the best distribution it has when its index cannot be read, with a warning.
   */
  private async newestOrInstalled(name: string, installed: InstalledPackage): Promise<string | undefined> {
    try {
      return await this.newestVersion(name);
    } catch (error) {
      if (!isBuildoutError(error) || error.code !== EngineErrorCodes.PACKAGE_FETCH_FAILED) throw error;
      this.log({
        level: 'warn',
        part: undefined,
        message: `cannot ask for the newest ${name} (${error.message}); using the installed ${installed.json.version}`,
      });
      return installed.json.version;
    }
  }

  private async newestVersion(name: string): Promise<string> {
    const { findLinks, npm, eggs } = this.settings;
    const linked = await this.npmStep(name, () => findLinksTarball(findLinks, name, undefined));
    if (linked) return linked.version;
    return this.npmStep(name, () => npmLatestVersion(eggs, name, npm));
  }

  private async fetch(name: string, pin: string | undefined): Promise<InstalledPackage> {
    const { eggs, findLinks, npm } = this.settings;
    const started = monotonicNow();
    const signal = this.signal();
    // Before the lock file is made in what may be someone's project.
    this.onEggsFolder(checkEggsFolder);
    const waiting = (holder: LockContent): void =>
      this.log({ level: 'info', part: undefined, message: `waiting for another buildout (pid ${holder.pid}) to finish with ${eggs}` });
    const linked = await withEggsLock(
      eggs,
      () =>
        this.npmStep(
          name,
          async () => {
            if (signal?.aborted) throw interrupted(0, []);
            // zc.buildout's words; npm may take a while (its retries when the registry does not answer).
            this.log({
              level: 'info',
              part: undefined,
              message: `Getting distribution for '${name}${pin === undefined ? '' : `==${pin}`}'.`,
            });
            const found = await findLinksTarball(findLinks, name, pin);
            this.onEggsFolder(prepareEggs);
            try {
              await npmInstall(eggs, found?.source ?? `${name}@${pin ?? 'latest'}`, { ...npm, signal });
            } catch (error) {
              if (signal?.aborted) throw interrupted(0, []);
              // A find-links tarball npm cannot install: that file, and the find-links line, are what to look at.
              if (found && error instanceof NpmFailure) throw new NpmFailure(`${found.source}: ${error.message}`, { option: 'find-links' });
              throw error;
            }
            return found;
          },
          pin,
        ),
      { waiting, signal },
    );
    const installed = installedEgg(eggs, name);
    if (!installed || (pin !== undefined && installed.json.version !== pin)) {
      throw new BuildoutError(
        EngineErrorCodes.PACKAGE_FETCH_FAILED,
        `npm installed ${installed ? `${name} ${installed.json.version}` : 'nothing'} where ${name}${pin === undefined ? '' : ` ${pin}`} was asked for`,
        {
          location: this.buildout.location(BUILDOUT, linked ? 'find-links' : 'index'),
          hint: linked
            ? `${linked.source} must hold ${name} itself (its package.json's name and version)`
            : 'the registry gave another package than asked for; check index in [buildout]',
        },
      );
    }
    const from = linked ? linked.source : (npm.registry ?? 'the npm registry');
    this.log({
      level: 'info',
      part: undefined,
      message: `Got ${name} ${installed.json.version} from ${from} (${formatMs(monotonicNow() - started)})`,
    });
    return installed;
  }

  /** Runs `step` on the eggs folder; one that is another project's is refused where eggs-directory is set. */
  private onEggsFolder(step: (eggs: string) => void): void {
    try {
      step(this.settings.eggs);
    } catch (error) {
      if (!(error instanceof ForeignEggsFolder)) throw error;
      throw new BuildoutError(
        EngineErrorCodes.PACKAGE_BAD_SETTING,
        `eggs-directory ${this.settings.eggs} cannot be buildout's eggs folder: ${error.message}`,
        { location: this.buildout.location(BUILDOUT, 'eggs-directory'), hint: error.hint },
      );
    }
  }

  /** Runs an npm step; its failure becomes an error naming the package and what to change. */
  private async npmStep<T>(name: string, step: () => Promise<T>, pin?: string): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof NpmFailure)) throw error;
      const registry = this.settings.npm.registry;
      if (error.noSuchVersion && pin !== undefined) throw await this.noSuchVersion(name, pin);
      const code = error.notFound ? EngineErrorCodes.PACKAGE_NOT_FOUND : EngineErrorCodes.PACKAGE_FETCH_FAILED;
      throw new BuildoutError(code, `cannot fetch package '${name}': ${error.message}`, {
        location: this.buildout.location(BUILDOUT, error.option ?? (registry === undefined ? 'find-links' : 'index')),
        hint: `check the package name, index = ${registry ?? "(npm's registry)"} and find-links in [buildout]; -N keeps an installed version without asking the registry`,
      });
    }
  }

  /** A pin the registry has no version for: said where the pin is, with the version it has. */
  private async noSuchVersion(name: string, pin: string): Promise<BuildoutError> {
    const { versionsSection, npm, eggs } = this.settings;
    const newest = await npmLatestVersion(eggs, name, npm).catch(() => undefined);
    return new BuildoutError(
      EngineErrorCodes.PACKAGE_VERSION_NOT_FOUND,
      `[${versionsSection}] ${name} = ${pin}: ${npm.registry ?? "npm's registry"} has no version ${pin} of ${name}${newest ? ` (its newest is ${newest})` : ''}`,
      {
        location: this.buildout.location(versionsSection, name),
        hint: `pin a version the registry has${newest ? `: ${name} = ${newest}` : ''}`,
      },
    );
  }

  /**
   * After an install: `show-picked-versions = true` prints the `[versions]`
   * lines of the packages used without a pin; `update-versions-file = FILE`
   * appends them to FILE (created with a `[versions]` header).
   */
  reportPicked(): void {
    if (this.picked.size === 0) return;
    const section = this.settingsRead?.versionsSection ?? 'versions';
    const lines = [...this.picked].sort(([a], [b]) => a.localeCompare(b)).map(([name, version]) => `${name} = ${version}`);
    if (this.buildout.getBoolean(BUILDOUT, 'show-picked-versions', false)) {
      this.log({
        level: 'info',
        part: undefined,
        message: `Versions had to be automatically picked.\nThe following part definition lists the versions picked:\n[${section}]\n${lines.join('\n')}`,
      });
    }
    const file = this.buildout.getOptional(BUILDOUT, 'update-versions-file')?.trim();
    if (file) {
      const path = resolve(this.buildout.directory, file);
      const header = existsSync(path) ? '' : `[${section}]\n`;
      appendFileSync(path, `${header}\n# Added by buildout at ${new Date().toISOString()}\n${lines.join('\n')}\n`);
      this.log({ level: 'info', part: undefined, message: `Picked versions have been written to ${file}` });
    }
  }

  /** A develop folder's package; none for a folder without package.json (a zc.buildout buildout's Python egg, say). */
  private developPackage(folder: string): UsedPackage[] {
    const directory = resolve(this.buildout.directory, folder);
    const json = readPackageJson(directory);
    if (!json && existsSync(directory)) {
      this.log({ level: 'debug', part: undefined, message: `develop folder ${folder} has no package.json: not a recipe package` });
      return [];
    }
    if (!json) {
      throw new BuildoutError(EngineErrorCodes.PACKAGE_BAD_SETTING, `develop folder ${folder} does not exist (looked for ${directory})`, {
        location: this.buildout.location(BUILDOUT, 'develop'),
        hint: 'develop names folders of recipe packages, relative to the buildout directory',
      });
    }
    return [{ installed: { directory, json }, signature: `${json.name ?? folder}@sha256:${folderHash(directory)}` }];
  }
}

export function describe(installed: InstalledPackage): string {
  return `${installed.json.name ?? installed.directory}@${installed.json.version ?? '0.0.0'}`;
}

/** A hash of a package folder's files (names and contents; not node_modules or dot-folders). */
export function folderHash(root: string): string {
  const parts: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path);
      } else if (entry.isFile()) {
        parts.push(relative(root, path), contentHash(readFileSync(path)));
      }
    }
  };
  walk(root);
  return contentHash(parts.join('\0'));
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function words(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}
