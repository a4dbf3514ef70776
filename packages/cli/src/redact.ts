/**
 * The one redaction helper: which option values are secret, and the text the
 * CLI prints with them shown as `***` (plans, annotate, -v logs, errors).
 * Secret options are those whose names look secret (`isSecretOptionName`)
 * and those a recipe declares (`Recipe.secretOptions`, through
 * `engine.secretOptions(part)`). An option that is secret shows `***` as its
 * value; any other text has every known secret value in it replaced by `***`
 * (a URL holding the password, a `${supervisor:password}` reference resolved
 * elsewhere). `--show-secrets` turns it all off.
 */
import { isSecretOptionName, type Buildout } from '@buildout/config';
import type { Engine, OptionChange, Plan, PlannedStep, StepReason } from '@buildout/engine';

export const MASK = '***';
/**
 * Shorter values, and words every output is full of, are masked only as an
 * option's whole value: replacing every `on` or `1` in the output would hide
 * everything else and tell the length of the secret anyway.
 */
const SHORTEST_MASKED_IN_TEXT = 4;
const COMMON_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'none', 'null']);

/** The user-info password of a URL: `scheme://user:` kept, what follows up to `@` masked. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi;

/** `NAME=value`, `NAME = "value"`, `--name=value` in a text (an env block, a command line, supervisor's `KEY="v",KEY2="w"`). */
const ASSIGNMENT = /([A-Za-z_][\w.-]*)[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s,"'&;]+))/g;

/** The values assigned to secret-looking names in a text. */
export function secretAssignments(text: string): string[] {
  const values: string[] = [];
  for (const match of text.matchAll(ASSIGNMENT)) {
    if (isSecretOptionName(match[1]!)) values.push(match[2] ?? match[3] ?? match[4]!);
  }
  return values;
}

/**
 * The value of a command-line argument that assigns to a secret-looking name (`db:password=...`,
 * `--token=...`), learned before the arguments are parsed: a usage error may quote any of them.
 */
export function secretOfArgument(argument: string): string | undefined {
  const match = /^-*(?:[^=:]*:)?([^=:]+?)[+-]?=(.*)$/s.exec(argument);
  return match && isSecretOptionName(match[1]!.trim()) ? match[2] : undefined;
}

function maskUrlPasswords(text: string): string {
  return text.includes('://') ? text.replace(URL_PASSWORD, `$1${MASK}@`) : text;
}

function resolvedOrRaw(buildout: Buildout, section: string, option: string): string | undefined {
  try {
    return buildout.get(section, option);
  } catch {
    return buildout.raw(section, option);
  }
}

export class Redactor {
  /** False with --show-secrets. */
  enabled = true;
  private readonly declared = new Map<string, Set<string>>();
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;
  private readonly beforeErrors: (() => void)[] = [];
  private readonly collected = new Set<string>();

  /** The option's value is a secret: its name looks secret, or its recipe declared it. */
  isSecret(section: string, option: string): boolean {
    return isSecretOptionName(option) || (this.declared.get(section)?.has(option) ?? false);
  }

  /** Options of `section` its recipe declared secret. */
  declare(section: string, options: Iterable<string>): void {
    for (const option of options) {
      let declared = this.declared.get(section);
      if (!declared) {
        declared = new Set<string>();
        this.declared.set(section, declared);
      }
      declared.add(option);
    }
  }

  /** A secret value, masked from now on wherever it appears in printed text. */
  addSecret(value: string | undefined): void {
    if (value === undefined) return;
    const candidates = [value, ...value.split('\n').filter((line) => !line.startsWith('-----'))];
    for (const candidate of candidates.map((text) => text.trim())) {
      if (candidate.length < SHORTEST_MASKED_IN_TEXT || COMMON_WORDS.has(candidate.toLowerCase()) || this.values.has(candidate)) continue;
      this.values.add(candidate);
      // As JSON output writes it, too.
      this.values.add(JSON.stringify(candidate).slice(1, -1));
      this.pattern = undefined;
    }
  }

  /**
   * The values of every option of the buildout that is secret, and of the
   * secret-named assignments inside other values (`DB_PASSWORD=...` in an
   * `env`, `--password=...` in a command); a value that cannot be resolved
   * is taken raw (it fails elsewhere). Sections seen before are skipped
   * unless named: `learnPlan` looks again for the ones recipes defined.
   */
  collect(buildout: Buildout, sections: Iterable<string> = buildout.sectionNames()): void {
    for (const section of sections) {
      if (!buildout.hasSection(section)) continue;
      this.collected.add(section);
      for (const option of buildout.optionNames(section)) this.learnOption(section, option, buildout.raw(section, option)!, buildout);
    }
  }

  /** What the engine knows once it planned: the secret options each part's recipe declares, their values and the old ones of changed options. */
  learnPlan(plan: Plan, engine: Pick<Engine, 'secretOptions' | 'buildout'>): void {
    // Sections the recipes' inits defined (not parts themselves, perhaps) were not there when the configuration was read.
    this.collect(
      engine.buildout,
      engine.buildout.sectionNames().filter((section) => !this.collected.has(section)),
    );
    this.learnSecretOptions(engine, new Set([...plan.order, ...plan.uninstall.map((step) => step.part)]));
    for (const step of [...plan.uninstall, ...plan.steps]) {
      if (step.reason.kind !== 'changed') continue;
      for (const change of step.reason.options) {
        if (this.isSecret(step.part, change.option)) {
          this.addSecret(change.old);
          this.addSecret(change.new);
        }
      }
    }
  }

  /** The options of `sections` that are secret, by their names or their recipes' word, and their values as they are now. */
  learnSecretOptions(engine: Pick<Engine, 'secretOptions' | 'buildout'>, sections: Iterable<string>): void {
    for (const section of sections) {
      const secret = engine.secretOptions(section);
      if (secret.size === 0) continue;
      this.declare(section, secret);
      if (engine.buildout.hasSection(section)) this.collectOptions(engine.buildout, section, secret);
    }
  }

  /** The options a part was recorded with (an uninstall's): secret ones by name or by its recipe's word, and secret-named assignments inside the others. */
  learnRecorded(part: string, options: Readonly<Record<string, string>>, declared: Iterable<string>): void {
    this.declare(part, declared);
    for (const [option, value] of Object.entries(options)) this.learnOption(part, option, value);
  }

  /**
   * One option: all of a secret one's value, and of another the values its secret-named assignments
   * give. With `buildout`, `value` is raw and the substituted value is asked for only then (substituting
   * every value that holds an `=` would cost a large buildout); without, `value` is the value.
   */
  private learnOption(section: string, option: string, value: string, buildout?: Buildout): void {
    const resolved = (): string | undefined => (buildout ? resolvedOrRaw(buildout, section, option) : value);
    if (this.isSecret(section, option)) this.addSecret(resolved());
    else if (value.includes('=') && secretAssignments(value).length > 0) {
      for (const assigned of secretAssignments(resolved() ?? '')) this.addSecret(assigned);
    }
  }

  private collectOptions(buildout: Buildout, section: string, options: Iterable<string>): void {
    for (const option of options) {
      if (this.isSecret(section, option) && buildout.raw(section, option) !== undefined)
        this.addSecret(resolvedOrRaw(buildout, section, option));
    }
  }

  /** Runs `learn` before an error is printed: secrets set after the last look (in the init that failed) are masked too. */
  beforeError(learn: () => void): void {
    this.beforeErrors.push(learn);
  }

  /** For the CLI's edge, just before it prints an error. */
  learnBeforeError(): void {
    if (!this.enabled) return;
    for (const learn of this.beforeErrors) learn();
  }

  /** An option's value as it may be shown. */
  option(section: string, option: string, value: string): string {
    if (!this.enabled) return value;
    return this.isSecret(section, option) ? MASK : this.text(value);
  }

  /**
   * Sections of option values as they may be shown. A section with nothing to
   * mask is passed on as it is: annotate shows thousands, and most hold no secret.
   */
  sections(sections: Record<string, Record<string, string>>): Record<string, Record<string, string>> {
    if (!this.enabled) return sections;
    const shown: Record<string, Record<string, string>> = {};
    for (const section of Object.keys(sections)) {
      const options = sections[section]!;
      let masked: Record<string, string> | undefined;
      for (const option of Object.keys(options)) {
        const value = this.option(section, option, options[option]!);
        if (value === options[option]) continue;
        masked ??= { ...options };
        masked[option] = value;
      }
      shown[section] = masked ?? options;
    }
    return shown;
  }

  /** Text with every known secret value in it masked, and the password of any URL (`https://user:***@host/`). */
  text(text: string): string {
    if (!this.enabled) return text;
    if (this.values.size === 0) return maskUrlPasswords(text);
    this.pattern ??= new RegExp(
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return maskUrlPasswords(text.replace(this.pattern, MASK));
  }

  /** The plan as it may be shown: secret option values masked in the reasons. */
  plan(plan: Plan): Plan {
    if (!this.enabled) return plan;
    const step = (planned: PlannedStep): PlannedStep => ({ ...planned, reason: this.reason(planned.part, planned.reason) });
    return { ...plan, uninstall: plan.uninstall.map(step), steps: plan.steps.map(step) };
  }

  private reason(part: string, reason: StepReason): StepReason {
    switch (reason.kind) {
      case 'changed': {
        const change = (option: OptionChange): OptionChange => {
          const shownNew = option.new === undefined ? undefined : this.option(part, option.option, option.new);
          // A value holding a secret now held one before too: if none is found in it, it was one no longer known (a rotated password).
          const masked = option.old === undefined ? undefined : this.option(part, option.option, option.old);
          const shownOld = masked !== undefined && shownNew !== option.new && masked === option.old ? MASK : masked;
          return { ...option, old: shownOld, new: shownNew };
        };
        const recipe = reason.recipe && { old: this.text(reason.recipe.old), new: this.text(reason.recipe.new) };
        return { ...reason, options: reason.options.map(change), recipe };
      }
      case 'path-missing':
        return { ...reason, path: this.text(reason.path) };
      default:
        return reason;
    }
  }
}
