/**
 * A module's share of the pool: at most `limit` of its uses hold a connection at once, the rest
 * wait in order. Written out rather than taken from p-limit, which spends three promises and two
 * async calls on every use (about 2 µs a query under load, measured in a CPU profile of the notes
 * on PostgreSQL); here a use that finds a free slot costs a counter.
 */
export function connectionShare(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (active < limit) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
