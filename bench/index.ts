/** `npm run bench [-- name …]`: runs the named benchmarks (all by default) and prints their ratios. */
import { acceptanceBench } from './acceptance.ts';
import { duetimeBench } from './duetime.ts';
import { eventsBench } from './events.ts';
import { queueBench } from './queue.ts';
import { startBench } from './start.ts';
import { workordersBench } from './workorders.ts';
import type { Bench } from './harness.ts';
import { printResult } from './harness.ts';

export const BENCHES: Bench[] = [
  eventsBench,
  queueBench,
  duetimeBench,
  startBench,
  acceptanceBench,
  workordersBench,
];

export async function runBenchmarks(args: string[]): Promise<void> {
  const wanted = args.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length > 0)
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`,
    );
  for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
    console.log(`running ${bench.name}: ${bench.describe}`);
    for (const result of await bench.run()) printResult(result);
  }
}
