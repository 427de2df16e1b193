export async function runBenchmarks(_args: string[]): Promise<void> {
  console.log('benchmarks: not yet');
}
