/**
 * The counter-acceptance benchmark (issue #13): visits per second through the HTTP API — a walk-in visit at a
 * counter, three pieces of business (a plan change and a SIM replacement on the customer's ID document, a
 * top-up), a cash payment with change, the customer's signature (the document rendered to PDF and stored) and
 * the closing — with `BENCH_CLERKS` clerks at their counters at once, as a ratio to the same writes sent by
 * pgbench as SQL alone (`acceptance-visit.sql`, as many clients) on the same database in the same run.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { residentIdCheck } from '../src/core/id-documents.ts';
import { luhnValid } from '../src/core/business-catalogue.ts';
import { createApp } from '../src/app.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import { rows } from '../src/platform/db/index.ts';
import { createCustomer } from '../src/modules/customers/service.ts';
import { openCounter } from '../src/modules/queue/service.ts';
import type { Bench, BenchResult } from './harness.ts';
import { scratchDatabase } from './harness.ts';
import PDFDocument from 'pdfkit';
import { documentRate } from './documents.ts';
import { fixture, pgbenchTps } from './queue.ts';

/**
 * The baseline of the documents: the same one-page layout's text (a header, 3 lines, totals) in pdfkit's
 * built-in Helvetica — no font to embed or subset — per second of CPU time, so the ratio shows what the
 * Chinese font costs.
 */
async function plainPdfsPerCpuSecond(seconds: number): Promise<number> {
  const one = () =>
    new Promise<Buffer>((resolve) => {
      const doc = new PDFDocument({ size: 'A4', margin: 40 });
      const parts: Buffer[] = [];
      doc.on('data', (b: Buffer) => parts.push(b));
      doc.on('end', () => resolve(Buffer.concat(parts)));
      doc.fontSize(16).text('China Unicom - business receipt');
      for (let i = 1; i <= 3; i++) doc.fontSize(10).text(`${i}. Business ${i}    fee 10.00`);
      doc.text('Total 60.00   Paid 60.00   Change 40.00').end();
    });
  await one();
  let n = 0;
  const cpu = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    await one();
    n++;
  }
  const used = process.cpuUsage(cpu);
  return n / ((used.user + used.system) / 1e6);
}
const CLERKS = Number(process.env.BENCH_CLERKS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** A 1×1 PNG, as a signature pad's canvas would send it (the size of the image does not matter here). */
const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A mainland ID number with its check digit, different for each `i`. */
function residentId(i: number): string {
  const first17 = `11010119800101${String(i % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheck(first17);
}

/** An ICCID (89 + 17 digits + a Luhn check digit), different for each `i`. */
function iccid(i: number): string {
  const body = `8986011${String(i).padStart(12, '0')}`;
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('no check digit');
}

type Inject = (method: 'GET' | 'POST', url: string, token: string, payload?: object) => Promise<unknown>;

/** One visit, as a clerk does it at the counter: answers the number of requests it took. */
async function visit(
  call: Inject,
  token: string,
  counterId: string,
  customer: { id: string; doc: string; subscriptionId: string },
  n: number,
): Promise<number> {
  const opened = (await call('POST', '/api/visits', token, { counterId, customerId: customer.id })) as {
    id: string;
  };
  const at = `/api/visits/${opened.id}`;
  const identity = { document: { kind: 'resident_id', number: customer.doc } };
  await call('POST', `${at}/transactions`, token, {
    businessCode: 'plan_change',
    subscriptionId: customer.subscriptionId,
    values: { plan: `P${(n % 5) + 1}9`, effective: 'now' },
    identity,
  });
  await call('POST', `${at}/transactions`, token, {
    businessCode: 'sim_replace',
    subscriptionId: customer.subscriptionId,
    values: { iccid: iccid(n), reason: 'damaged' },
    identity,
  });
  await call('POST', `${at}/transactions`, token, {
    businessCode: 'top_up',
    subscriptionId: customer.subscriptionId,
    values: { amountFen: 5000 },
  });
  await call('POST', `${at}/payments`, token, { method: 'cash', amountFen: 6000, tenderedFen: 10000 });
  await call('POST', `${at}/sign`, token, { signature: SIGNATURE });
  await call('POST', `${at}/close`, token);
  return 7;
}

export const acceptanceBench: Bench = {
  name: 'acceptance',
  describe: `a visit of three transactions with payment, signature and closing over HTTP, ${CLERKS} clerks, vs the same writes in SQL through pgbench`,
  async run(): Promise<BenchResult[]> {
    process.env.FUWU_QUEUE_TIMER = '0';
    const scratch = await scratchDatabase();
    try {
      const f = await fixture(scratch.database);
      const { db } = scratch.database;
      const system: Ctx = {
        db,
        actor: {
          kind: 'system',
          id: null,
          name: 'bench',
          unitId: f.hall.id,
          unitPath: f.hall.path,
          provinceId: f.hall.provinceId,
          positions: [],
        },
        clock: systemClock,
        requestId: 'bench',
        clientIp: '',
      };
      // One customer per clerk (visits of one clerk follow each other; two clerks never serve one customer).
      const customers: { id: string; doc: string; subscriptionId: string }[] = [];
      for (let i = 0; i < CLERKS; i++) {
        const doc = residentId(i);
        const c = await createCustomer(system, {
          unitId: f.hall.id,
          kind: 'individual',
          name: `基准客户${i + 1}`,
          idDocKind: 'resident_id',
          idDocNumber: doc,
          contactPhone: `1390000${String(i).padStart(4, '0')}`,
          address: '基准路1号',
          clubTier: 'ordinary',
          is3g: false,
          subscriptions: [
            { kind: 'mobile', number: `1560000${String(i).padStart(4, '0')}`, plan: 'P19', status: 'active' },
          ],
        });
        customers.push({ id: c.id, doc, subscriptionId: c.subscriptions[0]!.id });
      }
      for (let i = 0; i < CLERKS; i++) {
        await openCounter({ ...system, actor: f.clerks[i]! }, f.counterIds[i]!);
      }
      const app = await createApp({ database: scratch.database, clock: systemClock });
      await app.ready();
      const call: Inject = async (method, url, token, payload) => {
        const res = await app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}` },
          ...(payload ? { payload } : {}),
        });
        if (res.statusCode >= 300)
          throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        return res.json();
      };
      const measure = async (seconds: number) => {
        let visits = 0;
        let n = 0;
        const until = performance.now() + seconds * 1000;
        const start = performance.now();
        await Promise.all(
          Array.from({ length: CLERKS }, async (_, k) => {
            while (performance.now() < until) {
              await visit(call, f.clerkTokens[k]!, f.counterIds[k]!, customers[k]!, n++);
              visits++;
            }
          }),
        );
        return visits / ((performance.now() - start) / 1000);
      };
      await measure(1); // warm-up
      const signed = await measure(SECONDS);
      await app.close();

      const url = scratch.url;
      if (!url) throw new Error('the scratch database has no URL for pgbench');
      const script = [
        '-M',
        'prepared',
        '-f',
        fileURLToPath(new URL('./acceptance-visit.sql', import.meta.url)),
        '-D',
        `hall=${f.hall.id}`,
        '-D',
        `province=${f.hall.provinceId}`,
        '-D',
        `path=${f.hall.path}`,
        '-D',
        `customer=${customers[0]!.id}`,
        '-D',
        `sub=${customers[0]!.subscriptionId}`,
      ];
      const baseline = await pgbenchTps(url, CLERKS, script, SECONDS);
      const [written] = await rows<{ visits: number; documents: number }>(
        db,
        sql`select (select count(*)::int from visits where status = 'closed') as visits,
                   (select count(*)::int from visit_documents) as documents`,
      );
      const notes = [
        `database: ${scratch.database.kind}; one app instance; ${CLERKS} clerks at once; ${SECONDS} s per run`,
        `visits closed in all runs (the app's and pgbench's): ${written?.visits ?? 0}; documents stored: ${written?.documents ?? 0}`,
      ];
      const docs = await documentRate(SECONDS);
      const withDocument = 1 / (1 / baseline + 1 / docs.perCpuSecond);
      notes.push(
        `rendering the documents (${(1000 / docs.perCpuSecond).toFixed(1)} ms of CPU each) took ${((signed / docs.perCpuSecond) * 100).toFixed(0)}% of one core at this rate`,
      );
      const plain = await plainPdfsPerCpuSecond(SECONDS);
      return [
        {
          bench: 'acceptance (documents)',
          subject: {
            name: 'signed one-page documents (Noto Sans SC subset, signature)',
            unit: 'documents',
            perSecond: docs.perCpuSecond,
          },
          baseline: { name: 'the same page in built-in Helvetica', unit: 'documents', perSecond: plain },
          ratio: docs.perCpuSecond / plain,
          notes: [
            `per second of one core (CPU time of this process); ${docs.perWallSecond.toFixed(1)}/s of wall time; ${docs.documents} rendered; ${(docs.bytes / 1024).toFixed(0)} KB each`,
          ],
        },
        {
          bench: 'acceptance',
          subject: {
            name: `visit of 3 transactions + payment + signature + close over HTTP, ${CLERKS} clerks`,
            unit: 'visits',
            perSecond: signed,
          },
          baseline: {
            name: `the same writes in SQL through pgbench, ${CLERKS} clients`,
            unit: 'visits',
            perSecond: baseline,
          },
          ratio: signed / baseline,
          goal: 0.3,
          notes,
        },
        {
          // The SQL alone renders no document; a visit cannot end without one. Its ideal is the SQL's time and
          // one render's CPU time one after the other: the yardstick that asks only for what the visit must do.
          bench: 'acceptance (the SQL and the document)',
          subject: { name: 'the same visits over HTTP', unit: 'visits', perSecond: signed },
          baseline: {
            name: 'the SQL through pgbench, then one document rendered, per visit',
            unit: 'visits',
            perSecond: withDocument,
          },
          ratio: signed / withDocument,
          notes: [
            `1 / (1 / ${baseline.toFixed(0)} + 1 / ${docs.perCpuSecond.toFixed(1)}): the document alone allows at most ${(docs.perCpuSecond / baseline).toFixed(3)} of the SQL's rate on one core`,
          ],
        },
      ];
    } finally {
      await scratch.drop();
    }
  },
};
