// What the benchmarks share beside the disk (disk.mjs): medians, and the order builds are measured in.

/** The median (of an even count, the mean of the two middle values). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * `items` in the order round `round` measures them: each round starts one further along, so every build
 * comes first as often as the others. The first run of a round pays for what the one before left behind
 * (on this disk, the discards of the files it deleted): measured in the same order every round, one build
 * took 2.6x as long as another for the same first install, and 0.5x with the order swapped.
 */
export function inTurn(items, round) {
  const start = round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
