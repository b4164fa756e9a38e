// Percentiles by nearest rank, a clock both bench processes share, and how long this process waited for a CPU.
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Milliseconds since the epoch, sub-millisecond: comparable between processes on one machine. */
export const clock = () => performance.timeOrigin + performance.now();

export function summary(values) {
  if (!values.length) return { count: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] };
}

/**
 * Time this process's main thread (the event loop) spent runnable but waiting for a CPU, in ms (Linux
 * schedstat; undefined elsewhere). Latency that other processes cause on a shared machine shows up here.
 */
export function cpuWaitMs() {
  if (!existsSync('/proc/self/schedstat')) return undefined;
  return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e6;
}
