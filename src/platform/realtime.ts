/**
 * Realtime fan-out: one LISTEN per app instance on the events channel, so an event committed by any
 * instance reaches every browser connected to any instance; each subscriber sees only its subtree. The
 * same events keep the instance's read caches honest (`platform/cache`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from './auth/principal.ts';
import type { Database } from './db/index.ts';
import type { EventNotice } from './events.ts';
import { EVENTS_CHANNEL } from './events.ts';
import { enableCaches } from './cache.ts';
import { credentialOf } from './http/authenticate.ts';
import { tooMany } from './http/problem.ts';

type Subscriber = (notice: EventNotice) => void;

/**
 * What the hub needs to keep open streams honest: re-authenticating a credential's secret (null when it is
 * no longer valid), and the most streams one credential may hold open for a unit (a setting).
 */
export interface StreamGuard {
  authenticate(secret: string, now: Date): Promise<Principal | null>;
  maxStreams(unitPath: string, now: Date): Promise<number>;
  now(): Date;
}

/** Events after which a credential may have stopped being valid: every open stream re-checks its own. */
const CREDENTIAL_EVENTS = ['auth.', 'token.', 'staff.', 'unit.', 'device.'];
export const endsCredentials = (action: string) => CREDENTIAL_EVENTS.some((p) => action.startsWith(p));

/** An open stream, by the credential it was opened with. */
interface OpenStream {
  credentialId: string;
  secret: string;
  end(): void;
}

/** Re-checks open streams at most this often without an event (expiry, a notification lost). */
const RECHECK_MS = 15_000;

export class RealtimeHub {
  private readonly subscribers = new Set<{ scope: string; fn: Subscriber }>();
  private readonly streams = new Map<string, Set<OpenStream>>();
  private unlisten: (() => Promise<void>) | null = null;
  private recheck: Promise<void> | null = null;
  private recheckAgain = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly guard: StreamGuard | null = null,
  ) {}

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
        if (endsCredentials(notice.action)) void this.recheckStreams();
        for (const s of this.subscribers) if (notice.unitPath.startsWith(s.scope)) s.fn(notice);
      },
      () => {
        caches.dropAll();
        void this.recheckStreams();
      },
    );
    this.timer = setInterval(() => void this.recheckStreams(), RECHECK_MS);
    this.timer.unref();
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

  /** How many streams are open with a credential on this instance. */
  openWith(credentialId: string): number {
    return this.streams.get(credentialId)?.size ?? 0;
  }

  /** Registers an open stream; returns its unregister function. */
  register(stream: OpenStream): () => void {
    let set = this.streams.get(stream.credentialId);
    if (!set) this.streams.set(stream.credentialId, (set = new Set()));
    set.add(stream);
    return () => {
      set.delete(stream);
      if (set.size === 0 && this.streams.get(stream.credentialId) === set)
        this.streams.delete(stream.credentialId);
    };
  }

  /** The most streams a credential may open for a unit, or no limit without a guard. */
  maxStreams(unitPath: string): Promise<number> {
    return this.guard ? this.guard.maxStreams(unitPath, this.guard.now()) : Promise.resolve(Infinity);
  }

  /**
   * Re-authenticates the credential of every open stream (once per credential) and ends the streams of
   * those no longer valid: after a logout, a revocation, a password or position change, a deactivation.
   * The credential cache has been dropped by the same notice, so this reads what the database holds.
   */
  recheckStreams(): Promise<void> {
    if (this.recheck) {
      this.recheckAgain = true;
      return this.recheck;
    }
    const run = async () => {
      do {
        this.recheckAgain = false;
        await this.recheckOnce();
      } while (this.recheckAgain);
    };
    this.recheck = run().finally(() => (this.recheck = null));
    return this.recheck;
  }

  private async recheckOnce(): Promise<void> {
    const guard = this.guard;
    if (!guard) return;
    for (const [credentialId, set] of [...this.streams]) {
      const first = set.values().next().value;
      if (!first) continue;
      const principal = await guard.authenticate(first.secret, guard.now()).catch(() => null);
      if (!principal || principal.credentialId !== credentialId) for (const s of [...set]) s.end();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.subscribers.clear();
    for (const set of [...this.streams.values()]) for (const s of [...set]) s.end();
    await this.unlisten?.();
  }
}

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Streams the events of a subtree to one client as server-sent events, with a heartbeat. `select` answers
 * what the client is sent of a notice: the notice, another in its place, or nothing (null).
 *
 * A HEAD answers the headers at once and ends. A credential holds at most `realtime.maxStreamsPerCredential`
 * streams open (429 past it), and its streams end as soon as it stops being valid (see `recheckStreams`).
 */
export async function streamEvents(
  hub: RealtimeHub,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  select: (n: EventNotice) => EventNotice | null | Promise<EventNotice | null> = (n) => n,
): Promise<void> {
  if (request.method === 'HEAD') {
    reply.hijack();
    reply.raw.writeHead(200, STREAM_HEADERS);
    reply.raw.end();
    return;
  }
  const principal = request.principal;
  const secret = credentialOf(request);
  if (principal && secret) {
    const limit = await hub.maxStreams(principal.actor.unitPath);
    if (hub.openWith(principal.credentialId) >= limit) {
      throw tooMany(
        'too_many_streams',
        `同一登录最多同时打开 ${limit} 个实时连接，请先关闭其他页面`,
        `At most ${limit} live streams may be open with one login; close another page first`,
      );
    }
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, STREAM_HEADERS);
  res.write(`retry: 2000\n: connected\n\n`);
  let ended = false;
  const write = (n: EventNotice | null) => {
    if (n && !ended) res.write(`id: ${n.id}\nevent: ${n.action}\ndata: ${JSON.stringify(n)}\n\n`);
  };
  const unsubscribe = hub.subscribe(scope, (notice) => {
    const n = select(notice);
    if (n instanceof Promise) n.then(write, () => undefined);
    else write(n);
  });
  let unregister = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    unregister();
    res.end();
  };
  if (principal && secret) unregister = hub.register({ credentialId: principal.credentialId, secret, end });
  const heartbeat = setInterval(() => res.write(`: ping\n\n`), 15_000);
  request.raw.on('close', end);
}
