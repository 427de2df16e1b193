/**
 * Realtime fan-out: one LISTEN per app instance on the events channel, so an event committed by any
 * instance reaches every browser connected to any instance; each subscriber sees only its subtree. The
 * same events keep the instance's read caches honest (`platform/cache`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from './db/index.ts';
import type { EventNotice } from './events.ts';
import { EVENTS_CHANNEL } from './events.ts';
import { enableCaches } from './cache.ts';

type Subscriber = (notice: EventNotice) => void;

export class RealtimeHub {
  private readonly subscribers = new Set<{ scope: string; fn: Subscriber }>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly database: Database) {}

  async start(): Promise<void> {
    const caches = enableCaches(this.database.db);
    this.unlisten = await this.database.listen(
      EVENTS_CHANNEL,
      (payload) => {
        let notice: EventNotice;
        try {
          notice = JSON.parse(payload) as EventNotice;
        } catch {
          return;
        }
        caches.drop([notice.action]);
        for (const s of this.subscribers) if (notice.unitPath.startsWith(s.scope)) s.fn(notice);
      },
      () => caches.dropAll(),
    );
  }

  /** Calls `fn` for every event inside the unit subtree `scope`; returns the unsubscribe function. */
  subscribe(scope: string, fn: Subscriber): () => void {
    const entry = { scope, fn };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }

  get size(): number {
    return this.subscribers.size;
  }

  async stop(): Promise<void> {
    this.subscribers.clear();
    await this.unlisten?.();
  }
}

/**
 * Streams the events of a subtree to one client as server-sent events, with a heartbeat. `select` answers
 * what the client is sent of a notice: the notice, another in its place, or nothing (null).
 */
export function streamEvents(
  hub: RealtimeHub,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  select: (n: EventNotice) => EventNotice | null = (n) => n,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 2000\n: connected\n\n`);
  const unsubscribe = hub.subscribe(scope, (notice) => {
    const n = select(notice);
    if (n) res.write(`id: ${n.id}\nevent: ${n.action}\ndata: ${JSON.stringify(n)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(`: ping\n\n`), 15_000);
  request.raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
