/**
 * One app instance of the queue benchmark and the load on it: a Fastify app on its own connection pool, its
 * share of the counters repeating take (kiosk) → call-next → finish through the HTTP API (`inject`), and a
 * listening port on which the benchmark's calling displays follow the hall's event stream. On PostgreSQL each instance runs in a
 * worker thread of its own (`queue-worker.js`), so the two instances are two event loops, as two servers
 * would be; on the embedded database the one instance runs in the benchmark's thread.
 */
import type { FastifyInstance } from 'fastify';
import { createApp } from '../src/app.ts';
import type { Actor } from '../src/platform/auth/policy.ts';
import { systemActor } from '../src/platform/auth/policy.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { MessagePort } from 'node:worker_threads';
import type { Database } from '../src/platform/db/index.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import { callNext, finishTicket, takeTicket } from '../src/modules/queue/service.ts';

/** What the instances need to know of the benchmark's hall (made once, in the main thread). */
export interface Fixture {
  hallId: string;
  hall: { id: string; path: string; provinceId: string };
  clerks: Actor[];
  counterIds: string[];
  clerkTokens: string[];
  kioskToken: string;
  displayToken: string;
}

export interface Load {
  /** Which counters (indexes into the fixture's) this instance drives. */
  counters: number[];
  seconds: number;
  /** Each counter rests about this long between cycles (a paced load, for the realtime path). */
  pauseMs?: number;
}

export interface LoadResult {
  cycles: number;
  seconds: number;
  /** The tickets this instance's counters called. */
  called: string[];
  errors: [string, number][];
}

/**
 * A calling display: follows the hall's event stream of the instance at `address` over HTTP; calls
 * `onCalled` for each call. Run by the benchmark's own thread, as a display is a device of its own.
 */
export async function follow(
  address: string,
  hallId: string,
  token: string,
  onCalled: (ticketId: string, eventAt: number, receivedAt: number) => void,
): Promise<() => void> {
  const controller = new AbortController();
  const res = await fetch(`${address}/api/halls/${hallId}/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = Date.now();
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes(': connected')) connected();
          if (!frame.includes('event: ticket.called')) continue;
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const notice = JSON.parse(data.slice(6)) as { subjectId: string; at: string };
          onCalled(notice.subjectId, Date.parse(notice.at), at);
        }
      }
    } catch {
      // aborted
    }
  })();
  await ready;
  return () => controller.abort();
}

export class Instance {
  private constructor(
    readonly database: Database,
    readonly app: FastifyInstance,
    private readonly f: Fixture,
  ) {}

  static async start(database: Database, f: Fixture): Promise<Instance> {
    const app = await createApp({ database, clock: systemClock });
    await app.ready();
    return new Instance(database, app, f);
  }

  private clerk(i: number) {
    return { authorization: `Bearer ${this.f.clerkTokens[i]}` };
  }

  /** Listens on a port of loopback for the displays; answers the address. */
  listen(): Promise<string> {
    return this.app.listen({ port: 0, host: '127.0.0.1' });
  }

  async openCounters(counters: number[]): Promise<void> {
    for (const i of counters) {
      const res = await this.app.inject({
        method: 'POST',
        url: `/api/counters/${this.f.counterIds[i]}/open`,
        headers: this.clerk(i),
      });
      if (res.statusCode !== 200) throw new Error(`open counter: ${res.statusCode} ${res.body}`);
    }
  }

  /** Runs the cycles of `load` through the HTTP API. */
  async run(load: Load): Promise<LoadResult> {
    const { app, f } = this;
    const errors = new Map<string, number>();
    const fail = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
    const called: string[] = [];
    let done = 0;
    const kiosk = { authorization: `Bearer ${f.kioskToken}` };
    const start = performance.now();
    const until = start + load.seconds * 1000;
    await Promise.all(
      load.counters.map(async (i) => {
        while (performance.now() < until) {
          if (load.pauseMs) await new Promise((r) => setTimeout(r, load.pauseMs! * (0.5 + Math.random())));
          const took = await app.inject({
            method: 'POST',
            url: `/api/halls/${f.hallId}/tickets`,
            headers: kiosk,
            payload: { category: i % 4 === 0 ? 'payment' : 'business' },
          });
          if (took.statusCode !== 201) fail(`take ${took.statusCode}`);
          const next = await app.inject({
            method: 'POST',
            url: `/api/counters/${f.counterIds[i]}/call-next`,
            headers: this.clerk(i),
          });
          if (next.statusCode === 204) continue;
          if (next.statusCode !== 200) {
            fail(`call ${next.statusCode} ${(next.json() as { code?: string }).code ?? ''}`);
            continue;
          }
          const id = (next.json() as { id: string }).id;
          called.push(id);
          const fin = await app.inject({
            method: 'POST',
            url: `/api/tickets/${id}/finish`,
            headers: this.clerk(i),
            payload: { outcome: 'served', business: ['bench'] },
          });
          if (fin.statusCode !== 200) fail(`finish ${fin.statusCode}`);
          else done++;
        }
      }),
    );
    return { cycles: done, seconds: (performance.now() - start) / 1000, called, errors: [...errors] };
  }

  /** The same cycles through the commands themselves (no HTTP, no login per request). */
  async commands(load: Load): Promise<{ cycles: number; seconds: number }> {
    const { f } = this;
    let done = 0;
    const start = performance.now();
    const until = start + load.seconds * 1000;
    await Promise.all(
      load.counters.map(async (i) => {
        const base = { db: this.database.db, clock: systemClock, requestId: 'bench', clientIp: '' };
        const kiosk: Ctx = { ...base, actor: systemActor(f.hall, 'kiosk') };
        const clerk: Ctx = { ...base, actor: f.clerks[i]! };
        while (performance.now() < until) {
          await takeTicket(kiosk, f.hallId, { category: i % 4 === 0 ? 'payment' : 'business' });
          const ticket = await callNext(clerk, f.counterIds[i]!);
          if (!ticket) continue;
          await finishTicket(clerk, ticket.id, { outcome: 'served', business: ['bench'] });
          done++;
        }
      }),
    );
    return { cycles: done, seconds: (performance.now() - start) / 1000 };
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** The instance's side of a worker thread: opens its own pool, starts its app, answers the benchmark's calls. */
export interface InstanceCall {
  id: number;
  method: 'listen' | 'openCounters' | 'run' | 'commands' | 'close';
  arg: unknown;
}

export async function serveInstance(port: MessagePort, data: { url: string; fixture: Fixture }) {
  const database = await openDatabase({ url: data.url });
  const instance = await Instance.start(database, data.fixture);
  port.on('message', (m: InstanceCall) => {
    const work =
      m.method === 'listen'
        ? instance.listen()
        : m.method === 'openCounters'
          ? instance.openCounters(m.arg as number[])
          : m.method === 'run'
            ? instance.run(m.arg as Load)
            : m.method === 'commands'
              ? instance.commands(m.arg as Load)
              : instance.close().then(() => database.close());
    work.then(
      (result) => port.postMessage({ id: m.id, result }),
      (error: unknown) => port.postMessage({ id: m.id, error: String(error) }),
    );
  });
  port.postMessage({ ready: true });
}
