/**
 * Signed documents (一单清) rendered per second on one core (issue #13): the one-page PDF of a visit with three
 * transactions, two payments and a signature, rendered one after another on this thread. No database.
 * The fonts are parsed before the clock starts (once per process, as in the server).
 */
import { renderVisitPdf } from '../src/modules/visits/document.ts';
import { fixtureContent, fixtureSignaturePng } from '../test/support/document-fixture.ts';

export interface DocumentRate {
  /** Documents per second of this process's CPU time: per second of one core, whatever else the machine runs. */
  perCpuSecond: number;
  /** Documents per second of wall-clock time (lower when other processes share the cores). */
  perWallSecond: number;
  documents: number;
  /** Bytes of one document. */
  bytes: number;
}

/** Renders the fixture document repeatedly for about `seconds` of wall-clock time. */
export async function documentRate(seconds: number): Promise<DocumentRate> {
  const content = fixtureContent();
  const signature = fixtureSignaturePng();
  const first = await renderVisitPdf(content, signature, { copy: null }); // warm-up: fonts parsed, code compiled
  let documents = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    await renderVisitPdf(content, signature, { copy: null });
    documents++;
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    perCpuSecond: documents / cpuSeconds,
    perWallSecond: documents / wall,
    documents,
    bytes: first.length,
  };
}

/** One-page PDFs rendered per second on one core (per second of this process's CPU time). */
export async function documentsPerSecond(seconds: number): Promise<number> {
  return (await documentRate(seconds)).perCpuSecond;
}
