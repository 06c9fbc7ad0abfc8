import { maxCallsInAnySecond, queueRateForCap } from '../../src/provider-queues';

// The arithmetic behind `<PROVIDER>_MAX_CALLS_PER_SECOND`, checked against a model of the server's limiter: each of
// a queue's P partitions gets rate/P and a GCRA limiter with one second of burst, ported from Temporal Server 1.32
// service/matching/matcher_data.go (simpleLimiter.consume) and ratelimit_manager.go (defaultBurstDuration = 1 s).
// The real server is measured by `npm run bench -- --only providers`.

const SECOND = 1e9; // ns

/** Dispatch times (ns) of a queue with `rate` split over `partitions`, each partition's backlog always full. */
function dispatches(rate: number, partitions: number, from: number, to: number): number[] {
  const interval = Math.floor(SECOND / (rate / partitions));
  const burst = SECOND;
  const out: number[] = [];
  for (let p = 0; p < partitions; p++) {
    let ready = -Infinity; // long idle: a full second of tokens saved
    // The matcher dispatches as soon as the partition's limiter is ready (ready <= now).
    let now = from;
    while (now < to) {
      if (ready <= now) {
        out.push(now);
        ready = Math.max(now, ready + burst) - burst + interval;
      } else now = ready;
    }
  }
  return out.sort((a, b) => a - b);
}

/** Most dispatches in any half-open one-second window. */
function busiestSecond(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j] <= times[i] - SECOND) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

it.each([
  [50, 4],
  [50, 1],
  [7.5, 4],
  [7.5, 1],
  [100, 4],
  [30, 4],
  [12, 8],
  [4, 4],
])('cap %p over %p partition(s): the busiest second after a lull stays within the cap', (cap, partitions) => {
  const rate = queueRateForCap(cap, partitions);
  const worst = busiestSecond(dispatches(rate, partitions, 0, 5 * SECOND));
  expect(worst).toBeLessThanOrEqual(cap);
  expect(worst).toBe(maxCallsInAnySecond(rate, partitions));
  // And the limit is (nearly) the largest that keeps it: a quarter call per second per partition more breaks the cap.
  const more = rate + partitions / 4 + 1e-6;
  expect(busiestSecond(dispatches(more, partitions, 0, 5 * SECOND))).toBeGreaterThan(cap);
});

it('the limit set to the cap itself lets about twice the cap through in one second (what the bench saw)', () => {
  expect(busiestSecond(dispatches(50, 4, 0, 5 * SECOND))).toBe(100);
  expect(maxCallsInAnySecond(50, 4)).toBeGreaterThanOrEqual(100); // a bound: 104 when the interval's ns round down
});

it('below one call per second per partition the cap is halved and the worst second is one call per partition', () => {
  expect(queueRateForCap(2, 4)).toBe(1);
  expect(maxCallsInAnySecond(1, 4)).toBe(4);
  expect(busiestSecond(dispatches(1, 4, 0, 10 * SECOND))).toBe(4);
  expect(queueRateForCap(50, 4)).toBe(23);
  expect(maxCallsInAnySecond(23, 4)).toBe(48);
});

it('paused and uncapped', () => {
  expect(queueRateForCap(0)).toBe(0);
  expect(maxCallsInAnySecond(0)).toBe(0);
});
