import { describe, expect, it } from 'vitest';
import type { PlannedStep } from './plan.js';
import { Schedule } from './schedule.js';

const step = (part: string): PlannedStep => ({ part, action: 'install', reason: { kind: 'new' } });

/** Runs the schedule one step at a time, failing the parts in `failing`; the order steps started in. */
function drain(schedule: Schedule, failing: ReadonlySet<string> = new Set()): string[] {
  const started: string[] = [];
  for (let next = schedule.next(); next; next = schedule.next()) {
    started.push(next.part);
    if (!failing.has(next.part)) schedule.finished(next);
  }
  return started;
}

describe('Schedule', () => {
  it('starts steps in plan order once their dependencies in the run have finished', () => {
    const steps = ['a', 'b', 'c', 'd'].map(step);
    // c waits for d (later in the plan); b depends on a part that is not in the run.
    const dependencies = new Map([
      ['b', ['outside']],
      ['c', ['d', 'a']],
    ]);
    const schedule = new Schedule(steps, dependencies);
    expect(drain(schedule)).toEqual(['a', 'b', 'd', 'c']);
    expect(schedule.left()).toEqual([]);
  });

  it('holds back every step behind a failed one and reports them as left, in plan order', () => {
    const steps = ['a', 'b', 'c', 'd', 'e'].map(step);
    const dependencies = new Map([
      ['b', ['a']],
      ['c', ['b']],
      ['e', ['c', 'd']],
    ]);
    const schedule = new Schedule(steps, dependencies);
    expect(drain(schedule, new Set(['b']))).toEqual(['a', 'b', 'd']);
    expect(schedule.left().map((left) => left.part)).toEqual(['c', 'e']);
  });

  it('gives several ready steps at once, lowest plan index first, as dependencies finish out of order', () => {
    const steps = ['root', 'x', 'y', 'z'].map(step);
    const dependencies = new Map([
      ['x', ['root']],
      ['y', ['root']],
      ['z', ['root']],
    ]);
    const schedule = new Schedule(steps, dependencies);
    const root = schedule.next()!;
    expect(schedule.next()).toBeUndefined();
    schedule.finished(root);
    expect([schedule.next()?.part, schedule.next()?.part, schedule.next()?.part]).toEqual(['x', 'y', 'z']);
  });

  it('counts a dependency listed twice once', () => {
    const steps = ['a', 'b'].map(step);
    const schedule = new Schedule(steps, new Map([['b', ['a', 'a']]]));
    expect(drain(schedule)).toEqual(['a', 'b']);
  });
});
