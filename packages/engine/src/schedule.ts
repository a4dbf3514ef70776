/**
 * Which planned step may start next: each step waits for its dependencies
 * that are in the same run, and ready steps start in plan order. Counting the
 * unfinished dependencies keeps a run of N steps linear (a scan of every
 * waiting step after each finished one made a 1,000-part chain quadratic).
 */
import type { PlannedStep } from './plan.js';

export class Schedule {
  /** Index in plan order of every step not started yet. */
  readonly #index = new Map<PlannedStep, number>();
  readonly #steps: readonly PlannedStep[];
  readonly #pending = new Map<string, number>();
  readonly #dependents = new Map<string, PlannedStep[]>();
  /** Indexes of the steps whose dependencies have all finished, ascending. */
  readonly #ready: number[] = [];

  constructor(steps: readonly PlannedStep[], dependencies: ReadonlyMap<string, readonly string[]>) {
    this.#steps = steps;
    const inRun = new Set(steps.map((step) => step.part));
    steps.forEach((step, index) => {
      this.#index.set(step, index);
      let pending = 0;
      for (const dependency of new Set(dependencies.get(step.part) ?? [])) {
        if (!inRun.has(dependency) || dependency === step.part) continue;
        pending += 1;
        const dependents = this.#dependents.get(dependency);
        if (dependents) dependents.push(step);
        else this.#dependents.set(dependency, [step]);
      }
      this.#pending.set(step.part, pending);
      if (pending === 0) this.#ready.push(index);
    });
  }

  /** The first ready step in plan order, taken out of the schedule; undefined when none is ready. */
  next(): PlannedStep | undefined {
    const index = this.#ready.shift();
    if (index === undefined) return undefined;
    const step = this.#steps[index]!;
    this.#index.delete(step);
    return step;
  }

  /** `step` succeeded: the steps waiting only for it become ready. */
  finished(step: PlannedStep): void {
    for (const dependent of this.#dependents.get(step.part) ?? []) {
      const pending = this.#pending.get(dependent.part)! - 1;
      this.#pending.set(dependent.part, pending);
      if (pending === 0) insertSorted(this.#ready, this.#index.get(dependent)!);
    }
  }

  /** Steps that never started (they wait for a failed step, or the run stopped), in plan order. */
  left(): PlannedStep[] {
    return [...this.#index.keys()];
  }
}

function insertSorted(list: number[], value: number): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle]! < value) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, value);
}
