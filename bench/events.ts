/** Events written per second by real commands ÷ plain single-row inserts per second, same database, same run. */
import { sql } from 'drizzle-orm';
import { systemClock } from '../src/platform/clock.ts';
import { appendEvent, command } from '../src/platform/events.ts';
import { newId } from '../src/platform/ids.ts';
import { createHeadquarters } from '../src/modules/org/service.ts';
import type { Bench } from './harness.ts';
import { scratchDatabase, throughput } from './harness.ts';

export const eventsBench: Bench = {
  name: 'events',
  describe: 'commands that append their event (one transaction each) vs plain inserts',
  async run() {
    const scratch = await scratchDatabase();
    try {
      const { db } = scratch.database;
      const { root, ctx } = await createHeadquarters(db, systemClock, 'bench');
      await db.execute(
        sql.raw('CREATE TABLE bench_plain (id uuid primary key, at timestamptz not null, payload jsonb)'),
      );
      const seconds = Number(process.env.BENCH_SECONDS ?? 3);
      const concurrency = scratch.url ? 8 : 1;
      const plain = await throughput(
        seconds,
        async () => {
          await db.execute(
            sql`insert into bench_plain values (${newId()}, now(), ${JSON.stringify({ n: 1 })}::jsonb)`,
          );
        },
        concurrency,
      );
      const events = await throughput(
        seconds,
        async (i) => {
          await command(ctx, (tx) =>
            appendEvent(tx, ctx, {
              action: 'bench.tick',
              unit: root,
              subjectType: 'bench',
              subjectId: String(i),
              after: { n: i },
            }),
          );
        },
        concurrency,
      );
      return [
        {
          bench: 'events',
          subject: {
            name: `command + event + NOTIFY, ${concurrency} at once`,
            unit: 'commands',
            perSecond: events,
          },
          baseline: { name: `plain insert, ${concurrency} at once`, unit: 'inserts', perSecond: plain },
          ratio: events / plain,
          notes: [`database: ${scratch.database.kind}`],
        },
      ];
    } finally {
      await scratch.drop();
    }
  },
};
