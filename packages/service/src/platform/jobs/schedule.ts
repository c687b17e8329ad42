import type { JobDeclaration } from '@simple-rest/module-contract';
import { Cron } from 'croner';

/** When a scheduled job fires: every fire time after one, in order. */
export interface Schedule {
  /** The first fire time strictly after `time`. */
  next(time: Date): Date;
  /** The last fire time at or before `time`. */
  previous(time: Date): Date;
}

/** The job's schedule, or undefined for a job that only runs when enqueued. Throws on a bad declaration. */
export function scheduleOf(declaration: JobDeclaration, where: string): Schedule | undefined {
  const { every, cron } = declaration;
  if (every !== undefined && cron !== undefined) throw new Error(`${where} has both "every" and "cron": choose one`);
  if (every !== undefined) {
    if (!Number.isInteger(every) || every < 1000) {
      throw new Error(`${where} runs every ${every} ms: expected an integer of 1000 or more`);
    }
    // Multiples of the interval since the epoch: every instance computes the same fire times.
    return {
      next: (time) => new Date((Math.floor(time.getTime() / every) + 1) * every),
      previous: (time) => new Date(Math.floor(time.getTime() / every) * every),
    };
  }
  if (cron === undefined) return undefined;
  let pattern: Cron;
  try {
    pattern = new Cron(cron, { timezone: 'UTC', paused: true });
  } catch (error) {
    throw new Error(`${where} has the cron expression "${cron}", which is not valid: ${(error as Error).message}`);
  }
  return {
    next: (time) => pattern.nextRun(time) ?? new Date(8.64e15),
    previous: (time) => {
      // croner looks forward only: step back until a fire time falls at or before `time`.
      for (let span = 60_000; span < 4e11; span *= 4) {
        let fire = pattern.nextRun(new Date(time.getTime() - span));
        let last: Date | undefined;
        while (fire && fire.getTime() <= time.getTime()) {
          last = fire;
          fire = pattern.nextRun(fire);
        }
        if (last) return last;
      }
      return new Date(0);
    },
  };
}

/**
 * The fire times to run now, given the last one run: those after it that are due, where any
 * older than `lateMs` count as missed, and of those only the newest `catchUp` run. So a restart
 * after a long outage runs a job at most `catchUp` times for what it missed, never a burst.
 */
export function dueFireTimes(
  schedule: Schedule,
  lastFire: Date,
  now: Date,
  { lateMs, catchUp }: { lateMs: number; catchUp: number },
): Date[] {
  const cutoff = new Date(now.getTime() - lateMs);
  const missed: Date[] = [];
  // The newest missed ones only: walk back from the cutoff, not forward from a last fire long ago.
  for (let fire = schedule.previous(cutoff); missed.length < catchUp && fire > lastFire; ) {
    missed.unshift(fire);
    fire = schedule.previous(new Date(fire.getTime() - 1));
  }
  const late: Date[] = [];
  for (let fire = schedule.next(lastFire > cutoff ? lastFire : cutoff); fire <= now; fire = schedule.next(fire)) {
    late.push(fire);
  }
  return [...missed, ...late];
}
