import { describe, expect, it } from 'vitest';
import { Schedule } from './schedule.js';

/** Runs the schedule one node at a time, failing the nodes in `failing`; the order nodes started in. */
function drain(schedule: Schedule<string>, failing: ReadonlySet<string> = new Set()): string[] {
  const started: string[] = [];
  for (let next = schedule.next(); next; next = schedule.next()) {
    started.push(next);
    if (!failing.has(next)) schedule.finished(next);
  }
  return started;
}

describe('Schedule', () => {
  it('starts nodes in the given order once their dependencies in the run have finished', () => {
    const steps = ['a', 'b', 'c', 'd'];
    // c waits for d (later in the plan); b depends on a part that is not in the run.
    const dependencies = new Map([
      ['b', ['outside']],
      ['c', ['d', 'a']],
    ]);
    const schedule = new Schedule(steps, dependencies);
    expect(drain(schedule)).toEqual(['a', 'b', 'd', 'c']);
    expect(schedule.left()).toEqual([]);
  });

  it('holds back every node behind a failed one and reports them as left, in order', () => {
    const steps = ['a', 'b', 'c', 'd', 'e'];
    const dependencies = new Map([
      ['b', ['a']],
      ['c', ['b']],
      ['e', ['c', 'd']],
    ]);
    const schedule = new Schedule(steps, dependencies);
    expect(drain(schedule, new Set(['b']))).toEqual(['a', 'b', 'd']);
    expect(schedule.left()).toEqual(['c', 'e']);
  });

  it('gives several ready nodes at once, lowest index first, as dependencies finish out of order', () => {
    const steps = ['root', 'x', 'y', 'z'];
    const dependencies = new Map([
      ['x', ['root']],
      ['y', ['root']],
      ['z', ['root']],
    ]);
    const schedule = new Schedule(steps, dependencies);
    const root = schedule.next()!;
    expect(schedule.next()).toBeUndefined();
    schedule.finished(root);
    expect([schedule.next(), schedule.next(), schedule.next()]).toEqual(['x', 'y', 'z']);
  });

  it('counts a dependency listed twice once', () => {
    const steps = ['a', 'b'];
    const schedule = new Schedule(steps, new Map([['b', ['a', 'a']]]));
    expect(drain(schedule)).toEqual(['a', 'b']);
  });
});
