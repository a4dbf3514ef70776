/**
 * Which node of a run (run-order.ts: a planned step, or an uninstall taken
 * out of its part's reinstall) may start next: each waits for the nodes it
 * depends on, and ready nodes start in the given order. Counting the
 * unfinished dependencies keeps a run of N nodes linear (a scan of every
 * waiting node after each finished one made a 1,000-part chain quadratic).
 */
export class Schedule<Node> {
  /** Index in the given order of every node not started yet. */
  readonly #index = new Map<Node, number>();
  readonly #nodes: readonly Node[];
  readonly #pending = new Map<Node, number>();
  readonly #dependents = new Map<Node, Node[]>();
  /** Indexes of the nodes whose dependencies have all finished, ascending. */
  readonly #ready: number[] = [];

  /** `waitsFor`: the nodes each node waits for; nodes that are not in `nodes`, the node itself and repeats are ignored. */
  constructor(nodes: readonly Node[], waitsFor: ReadonlyMap<Node, Iterable<Node>>) {
    this.#nodes = nodes;
    const inRun = new Set(nodes);
    nodes.forEach((node, index) => {
      this.#index.set(node, index);
      let pending = 0;
      for (const dependency of new Set(waitsFor.get(node) ?? [])) {
        if (!inRun.has(dependency) || dependency === node) continue;
        pending += 1;
        const dependents = this.#dependents.get(dependency);
        if (dependents) dependents.push(node);
        else this.#dependents.set(dependency, [node]);
      }
      this.#pending.set(node, pending);
      if (pending === 0) this.#ready.push(index);
    });
  }

  /** The first ready node in order, taken out of the schedule; undefined when none is ready. */
  next(): Node | undefined {
    const index = this.#ready.shift();
    if (index === undefined) return undefined;
    const node = this.#nodes[index]!;
    this.#index.delete(node);
    return node;
  }

  /** `node` succeeded: the nodes waiting only for it become ready. */
  finished(node: Node): void {
    for (const dependent of this.#dependents.get(node) ?? []) {
      const pending = this.#pending.get(dependent)! - 1;
      this.#pending.set(dependent, pending);
      if (pending === 0) insertSorted(this.#ready, this.#index.get(dependent)!);
    }
  }

  /** Nodes that never started (they wait for a failed node, or the run stopped), in order. */
  left(): Node[] {
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
