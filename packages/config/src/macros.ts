/**
 * Macros (`<= base`), zc.buildout's `_do_extend_raw`: a section's bases, each
 * expanded, merged left to right below its own options (with their
 * `+=`/`-=`); `<` itself is dropped. [buildout] never uses a macro.
 */
import { BuildoutError, ErrorCodes } from './errors.js';
import { applyOverMacro, type Layer, locationOf, MACRO_OPTION, type Value } from './layers.js';
import { closest, words } from './text.js';

/** Expanded options of sections that use a macro, by section name. */
export type MacroExpansions = ReadonlyMap<string, ReadonlyMap<string, Value>>;

/**
 * The expansions `section` needs that `known` does not hold yet: its own and
 * those of the bases it is built on, each computed once. Empty when the
 * section uses no macro or is known. Depth first with an explicit stack, so a
 * chain of macros of any length does not overflow the call stack.
 */
export function expandMacros(layer: Layer, section: string, known: MacroExpansions): Map<string, ReadonlyMap<string, Value>> {
  const found = new Map<string, ReadonlyMap<string, Value>>();
  const expanded = (name: string): ReadonlyMap<string, Value> | undefined => found.get(name) ?? known.get(name);
  const needsExpansion = (name: string): boolean =>
    name !== 'buildout' && expanded(name) === undefined && layer.get(name)!.plain.has(MACRO_OPTION);
  if (!needsExpansion(section)) return found;
  const own = layer.get(section)!;
  const macro = own.plain.get(MACRO_OPTION)!;
  // The usual case, one base that is plain or already expanded: nothing to walk (this runs for every section).
  if (isOneWord(macro.value) && macro.value !== section && layer.has(macro.value) && !needsExpansion(macro.value)) {
    found.set(section, applyOverMacro(expanded(macro.value) ?? layer.get(macro.value)!.plain, own));
    return found;
  }
  const chain = [section];
  const onChain = new Set(chain);
  while (chain.length > 0) {
    const current = chain[chain.length - 1]!;
    const own = layer.get(current)!;
    const macro = own.plain.get(MACRO_OPTION)!;
    const baseNames = words(macro.value);
    const waiting = baseNames.find((base) => checkBase(layer, chain, onChain, current, base, macro) && needsExpansion(base));
    if (waiting !== undefined) {
      chain.push(waiting);
      onChain.add(waiting);
      continue;
    }
    const optionsOf = (base: string): ReadonlyMap<string, Value> => expanded(base) ?? layer.get(base)!.plain;
    let bases: ReadonlyMap<string, Value>;
    if (baseNames.length === 1) bases = optionsOf(baseNames[0]!);
    else {
      const merged = new Map<string, Value>();
      for (const base of baseNames) for (const [option, value] of optionsOf(base)) merged.set(option, value);
      bases = merged;
    }
    found.set(current, applyOverMacro(bases, own));
    chain.pop();
    onChain.delete(current);
  }
  return found;
}

/** What `words` would split into exactly one word (no whitespace, not empty). */
function isOneWord(text: string): boolean {
  return text !== '' && !/\s/.test(text);
}

/** A base must exist and must not be on the chain being expanded; true when it is fine. */
function checkBase(
  layer: Layer,
  chain: readonly string[],
  onChain: ReadonlySet<string>,
  current: string,
  base: string,
  macro: Value,
): boolean {
  if (!layer.has(base)) {
    const suggestion = closest(base, layer.keys());
    throw new BuildoutError(ErrorCodes.MACRO_MISSING, `[${current}] uses the macro [${base}], which is not defined`, {
      location: locationOf(macro),
      hint: suggestion ? `did you mean [${suggestion}]?` : undefined,
    });
  }
  if (onChain.has(base)) {
    const loop = [...chain.slice(chain.indexOf(base)), base];
    throw new BuildoutError(ErrorCodes.MACRO_LOOP, `macro loop: ${loop.map((name) => `[${name}]`).join(' <= ')}`, {
      location: locationOf(macro),
      hint: 'a section cannot use itself as a macro, directly or through other macros',
    });
  }
  return true;
}
