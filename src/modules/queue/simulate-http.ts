/**
 * `fuwu simulate`: plays a day of a hall's queue against a **running server**, through the HTTP API the
 * pages use, as the people and devices of a real day would — never by opening the database.
 *
 * - It logs in as a staff member (user and password given on the command line, in the environment, or at a
 *   prompt). That person's rights decide what it may prepare: a system administrator may create the
 *   training hall; a hall manager of an existing training hall may play there.
 * - **Where** (`src/core/simulation.ts`): only in a training hall (a hall unit with the attribute
 *   `training: true`). Named a real hall, it plays in that hall's training hall `<code>-SIM`, created under
 *   the same parent with the real hall's queue configuration and opening hours of the whole day when it is
 *   missing. From the real hall it only reads (its unit and queue configuration). A unit `<code>-SIM` that
 *   is not a training hall, or a training hall with a counter open or paused, is refused before anything is
 *   written.
 * - **Who**: a kiosk device token of the training hall (made for the run, a day long, and revoked at the
 *   end; or one given with `--kiosk-token`), a duty manager and one clerk per counter — staff accounts of
 *   the training hall named `sim-…`, made once; each run resets their passwords to new random ones it keeps
 *   in memory only.
 * - **What**: the clerks open counters, the kiosk (and the duty manager as the floor guide) takes tickets,
 *   the clerks call, recall, start, mark business done, transfer and finish them, pause for lunch; the duty
 *   manager checks alerts and opens another counter when the floor view advises. After closing time the
 *   counters serve who still waits and close; what still waits 90 simulated minutes after closing is
 *   cancelled by the duty manager.
 * - **Time**: the server's clock is real. A simulated day runs `speed` times as fast as a real one
 *   (`--speed 60`: a simulated minute per real second, a day of 9 hours in 9 minutes): arrivals, walking,
 *   service and pauses are shortened by that factor, so the server's figures (waits, transaction times) are
 *   real measurements of the shortened day — at speed 60 a 6-minute service is measured as 6 seconds. The
 *   day's arrival profile follows the simulated hour, the tickets carry today's date. The log shows the
 *   hall's local time (its time zone, Asia/Shanghai by default), with the simulated time of day beside it.
 * - No customer data: tickets carry no phone numbers (so no SMS is sent, nobody's record is touched, and
 *   there are no VIP tickets or appointments in a simulated day).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { CreatedToken, LoginReply } from '../auth/contract.ts';
import type { Unit } from '../org/contract.ts';
import type { Staff, WithInitialPassword } from '../staff/contract.ts';
import type { CounterFacts, Pace, SimulationTarget, UnitFacts } from '../../core/simulation.ts';
import {
  arrivalsPerMinute,
  busyTrainingHall,
  dayClock,
  localClock,
  MAX_SPEED,
  MIN_SPEED,
  minutesOf,
  peakArrivalsPerMinute,
  realAt,
  simulatedAt,
  simulationTarget,
  TRAINING_ATTRIBUTE,
} from '../../core/simulation.ts';
import type { Counter, HallQueueConfig, HallQueueConfigView, QueueState, Stats, Ticket } from './contract.ts';

type QueueStateT = z.infer<typeof QueueState>;
type StatsRow = Stats['rows'][number];

export interface ServerSimulationOptions {
  /** The server's address, e.g. http://127.0.0.1:3000. */
  server: string;
  username: string;
  password: string;
  /** A training hall, or the real hall whose training hall plays (code or id). */
  hall: string;
  /** Simulated minutes per real minute (1 = real time; 60 = a simulated minute per real second). */
  speed?: number;
  /** The simulated day's hours, `HH:mm`; by default the model hall's opening hours today, else 09:00–18:00. */
  from?: string;
  to?: string;
  /** Multiplies the arrival rate (1 = a busy day for the hall's size). */
  load?: number;
  seed?: number;
  /** A kiosk device token of the training hall to use instead of one made for the run. */
  kioskToken?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ServerSimulationSummary {
  hallId: string;
  hallCode: string;
  /** The hall's local date the tickets carry. */
  date: string;
  timeZone: string;
  created: boolean;
  taken: number;
  served: number;
  noShows: number;
  transfers: number;
  cancelledAtEnd: number;
  countersUsed: number;
  refusedCommands: number;
  realSeconds: number;
  /** The server's own statistics of the hall for the day, after the run. */
  stats: StatsRow | null;
}

/** A refusal or a failed request, with the server's problem (zh-CN and en-US) when there is one. */
export class SimulationError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
    readonly code: string = 'simulation',
  ) {
    super(message);
  }
}

const MINUTE = 1; // the simulated clock counts minutes
const CATEGORY_MIX: Record<string, number> = {
  business: 0.34,
  payment: 0.24,
  '3g': 0.12,
  terminal: 0.1,
  repair: 0.08,
  complaint: 0.06,
  group: 0.06,
};
const SHARES = { guide: 0.12, noShow: 0.04, transfer: 0.03, selling: 0.22 };
/** How long after closing counters still serve who waits; then the rest is cancelled. */
const DRAIN_MINUTES = 90;

/** Opening hours of the whole day, every day: a training hall takes tickets whenever someone trains. */
const ALL_DAY = [{ open: '00:00', close: '24:00' }];
const ALL_DAY_HOURS = { weekly: Array.from({ length: 7 }, () => ALL_DAY), holiday: ALL_DAY };

/** mulberry32: a small seeded generator, so a day can be played again alike. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small JSON client of the API with a bearer token. */
class Api {
  consecutiveNetworkFailures = 0;
  constructor(private readonly base: string) {}

  async call<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.base), {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      this.consecutiveNetworkFailures++;
      throw new SimulationError(
        `cannot reach the server at ${this.base} (${(err as Error).message}); start it with \`fuwu start\`, or give --server`,
        null,
        'unreachable',
      );
    }
    this.consecutiveNetworkFailures = 0;
    if (res.status === 204) return null as T;
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const p = json as { code?: string; messages?: Record<string, string>; detail?: string } | null;
      const zh = p?.messages?.['zh-CN'];
      const en = p?.messages?.['en-US'] ?? p?.detail ?? res.statusText;
      throw new SimulationError(zh && zh !== en ? `${en} · ${zh}` : en, res.status, p?.code ?? 'http');
    }
    return json as T;
  }
}

/** A person logged in: their bearer token. */
interface Session {
  name: string;
  token: string;
}

async function login(
  api: Api,
  username: string,
  password: string,
): Promise<Session & z.infer<typeof LoginReply>> {
  const reply = await api.call<z.infer<typeof LoginReply>>(null, 'POST', '/api/auth/login', {
    username,
    password,
  });
  return { ...reply, name: reply.me.name };
}

/** A strong random password that passes any reasonable rule (four classes, 30 characters). */
const newPassword = () => `Sim-${randomBytes(18).toString('base64url')}-7a`;

/** The hall's local date of an instant (YYYY-MM-DD). */
const localDate = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

/** The model's hours on today's weekday (first opening to last closing), as minutes of the day. */
function hoursToday(unit: Unit | undefined, now: number): { from: number; to: number } | null {
  if (!unit) return null;
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: unit.timeZone, weekday: 'short' }).format(now);
  const index = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(weekday);
  const intervals = unit.openingHours.weekly[index] ?? [];
  const opens = intervals.map((i) => minutesOf(i.open)).filter((v): v is number => v !== null);
  const closes = intervals.map((i) => minutesOf(i.close)).filter((v): v is number => v !== null);
  if (opens.length === 0 || closes.length === 0) return null;
  return { from: Math.min(...opens), to: Math.max(...closes) };
}

const facts = (u: Unit): UnitFacts => ({
  id: u.id,
  code: u.code,
  kind: u.kind,
  active: u.active,
  attributes: u.attributes,
});

/** The hall's queue configuration as the PUT takes it (without the ids the GET adds). */
function configInput(view: HallQueueConfigView): HallQueueConfig {
  return {
    categories: view.categories,
    queues: view.queues,
    segmentation: view.segmentation,
    profiles: view.profiles.map(({ id: _id, ...p }) => p),
    counters: view.counters.map(({ id: _id, ...c }) => c),
    ...(view.notices ? { notices: view.notices } : {}),
  };
}

/** A username of the training hall's simulated staff: `sim-<code>-<role>` within 32 characters. */
function simUsername(hallCode: string, role: string): string {
  const base = `sim-${hallCode.toLowerCase().replace(/[^a-z0-9._-]/g, '')}`;
  return `${base.slice(0, 31 - role.length)}-${role}`;
}

/**
 * A simulated clerk or duty manager: the account is made once in the training hall; each run resets its
 * password (the initial one must be changed) to a random one it keeps in memory only.
 */
async function staffSession(
  api: Api,
  admin: Session,
  hallId: string,
  existing: readonly Staff[],
  spec: { username: string; name: string; position: string },
): Promise<Session & { id: string }> {
  const found = existing.find((s) => s.username === spec.username);
  const made = found
    ? await api.call<z.infer<typeof WithInitialPassword>>(
        admin.token,
        'POST',
        `/api/staff/${found.id}/reset-password`,
      )
    : await api.call<z.infer<typeof WithInitialPassword>>(admin.token, 'POST', '/api/staff', {
        unitId: hallId,
        username: spec.username,
        name: spec.name,
        positions: [spec.position],
      });
  const first = await login(api, spec.username, made.initialPassword);
  const password = newPassword();
  await api.call(first.token, 'POST', '/api/auth/password', {
    currentPassword: made.initialPassword,
    newPassword: password,
  });
  const session = await login(api, spec.username, password);
  return { id: made.staff.id, name: spec.name, token: session.token };
}

/** Plays a day in a training hall through the server's API; returns the server's statistics of it. */
export async function simulateOnServer(options: ServerSimulationOptions): Promise<ServerSimulationSummary> {
  const log = options.log ?? (() => undefined);
  const speed = options.speed ?? 60;
  if (!(speed >= MIN_SPEED && speed <= MAX_SPEED))
    throw new SimulationError(`--speed must be between ${MIN_SPEED} and ${MAX_SPEED}`);
  const load = options.load ?? 1;
  if (!(load > 0 && load <= 10)) throw new SimulationError('--load must be above 0 and at most 10');
  const api = new Api(options.server);
  const started = Date.now();

  /* Who: the person running it. */
  const admin = await login(api, options.username, options.password);
  if (admin.me.kind !== 'staff') throw new SimulationError('log in as a staff member');
  if (admin.me.mustChangePassword)
    throw new SimulationError(`${options.username} must change the one-time password first (log in once)`);

  /* Where: a training hall only. */
  const units = await api.call<Unit[]>(admin.token, 'GET', '/api/units');
  const target: SimulationTarget = simulationTarget(options.hall, units.map(facts));
  if (target.kind === 'refuse') throw new SimulationError(`${target.en} · ${target.zh}`, null, target.code);
  let hall: Unit;
  let model: Unit | undefined;
  if (target.kind === 'create') {
    model = units.find((u) => u.id === target.model.id)!;
    const config = await api.call<HallQueueConfigView>(
      admin.token,
      'GET',
      `/api/halls/${model.id}/queue-config`,
    );
    if (config.counters.length === 0)
      throw new SimulationError(`${model.code} has no counters to copy · ${model.code} 没有配置窗口`);
    hall = await api.call<Unit>(admin.token, 'POST', '/api/units', {
      parentId: model.parentId,
      kind: model.kind,
      code: target.code,
      name: `${model.name}·模拟培训厅`.slice(0, 80),
      nameEn: `${model.nameEn || model.code} (training)`.slice(0, 120),
      timeZone: model.timeZone,
      openingHours: ALL_DAY_HOURS,
      attributes: { [TRAINING_ATTRIBUTE]: true, trainingFor: model.code },
    });
    await api.call(admin.token, 'PUT', `/api/halls/${hall.id}/queue-config`, configInput(config));
    log(`made the training hall ${hall.code} (${hall.name}) from ${model.code}`);
  } else {
    hall = units.find((u) => u.id === target.hall.id)!;
    const modelCode = hall.attributes.trainingFor;
    model = typeof modelCode === 'string' ? units.find((u) => u.code === modelCode) : undefined;
  }
  const tz = hall.timeZone;
  const config = await api.call<HallQueueConfigView>(
    admin.token,
    'GET',
    `/api/halls/${hall.id}/queue-config`,
  );
  if (config.counters.length === 0) throw new SimulationError(`${hall.code} has no counters`);
  const floor = await api.call<QueueStateT>(admin.token, 'GET', `/api/halls/${hall.id}/queue`);
  const busy = busyTrainingHall(floor.counters as CounterFacts[]);
  if (busy) throw new SimulationError(`${busy.en} · ${busy.zh}`, null, 'training_hall_busy');

  /* The day's hours. */
  const modelHours = hoursToday(model, started) ?? { from: 9 * 60, to: 18 * 60 };
  const opens = options.from ? minutesOf(options.from) : modelHours.from;
  const closes = options.to ? minutesOf(options.to) : modelHours.to;
  if (opens === null || closes === null || closes <= opens)
    throw new SimulationError('--from and --to are HH:mm, --from before --to');

  /* The people and the kiosk. */
  const counters = [...config.counters].sort((a, b) => a.number - b.number);
  const existing = (
    await api.call<{ items: Staff[] }>(admin.token, 'GET', `/api/staff?unitId=${hall.id}&limit=500`)
  ).items;
  const manager = await staffSession(api, admin, hall.id, existing, {
    username: simUsername(hall.code, 'dm'),
    name: '模拟值班经理',
    position: 'duty_manager',
  });
  const clerks: Session[] = [];
  for (const [i] of counters.entries()) {
    clerks.push(
      await staffSession(api, admin, hall.id, existing, {
        username: simUsername(hall.code, `c${i + 1}`),
        name: `模拟柜员${i + 1}`,
        position: 'acceptance',
      }),
    );
  }
  let kiosk = options.kioskToken ?? '';
  let kioskTokenId: string | null = null;
  if (!kiosk) {
    const made = await api.call<z.infer<typeof CreatedToken>>(admin.token, 'POST', '/api/tokens', {
      kind: 'device',
      unitId: hall.id,
      label: '模拟取号机 simulator kiosk',
      positions: ['device_kiosk'],
      expiresInDays: 1,
    });
    kiosk = made.token;
    kioskTokenId = made.info.id;
  }

  /* The clock. */
  const pace: Pace = { realStart: Date.now(), simStart: opens, speed };
  const simNow = () => simulatedAt(pace, Date.now());
  const stamp = () => `${localClock(Date.now(), tz)} [${dayClock(simNow())}]`;
  const say = (line: string) => log(`${stamp()} ${line}`);
  log(
    `playing ${dayClock(opens)}–${dayClock(closes)} at ${hall.code} at speed ${speed} ` +
      `(a simulated minute every ${(60 / speed).toFixed(2)} s); times: local time in ${tz} [simulated time of day]`,
  );

  const rnd = random(options.seed ?? Date.now());
  const exp = (mean: number) => -Math.log(1 - rnd()) * mean;
  const logNormal = (mean: number) => {
    const sigma = 0.45;
    const zz = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return mean * Math.exp(sigma * zz - (sigma * sigma) / 2);
  };
  const categories = config.categories.map((c) => c.code);
  const mix = categories.map((c) => CATEGORY_MIX[c] ?? 0.05);
  const mixTotal = mix.reduce((a, b) => a + b, 0);
  const category = () => {
    let r = rnd() * mixTotal;
    for (const [i, w] of mix.entries()) if ((r -= w) <= 0) return categories[i]!;
    return categories[0]!;
  };
  const meanOf = new Map(config.categories.map((c) => [c.code, c.meanServiceMinutes]));

  /* The agenda: tasks at simulated minutes, on real timers. */
  const timers = new Set<NodeJS.Timeout>();
  let running = 0;
  let stopped = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const settle = () => {
    if (running === 0 && timers.size === 0) finish();
  };
  const at = (minute: number, task: () => Promise<void>) => {
    if (stopped) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (stopped) return settle();
        running++;
        task()
          .catch((err: unknown) => say(`error: ${(err as Error).message}`))
          .finally(() => {
            running--;
            settle();
          });
      },
      Math.max(0, realAt(pace, minute) - Date.now()),
    );
    timers.add(timer);
  };
  const after = (minutes: number, task: () => Promise<void>) => at(simNow() + minutes, task);
  const stop = (why: string) => {
    if (stopped) return;
    stopped = true;
    say(why);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    settle();
  };
  const onAbort = () => stop('interrupted: tidying up');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  let taken = 0;
  let served = 0;
  let noShows = 0;
  let transfers = 0;
  let refused = 0;
  const used = new Set<number>();
  const open = new Set<number>();
  const paused = new Set<number>();
  const idle = new Set<number>();
  const idleSpell = counters.map(() => 0);
  const phase = () => {
    const m = simNow();
    return m < closes ? 'open' : m < closes + DRAIN_MINUTES ? 'drain' : 'over';
  };

  const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (err) {
      refused++;
      say(`${what}: ${(err as Error).message}`);
      if (api.consecutiveNetworkFailures >= 5) stop('lost the server: stopping');
      return null;
    }
  };
  const counterPath = (i: number, verb: string) => `/api/counters/${counters[i]!.id}/${verb}`;

  const closeOne = async (i: number, force = false): Promise<void> => {
    if (!force && !open.has(i) && !paused.has(i)) return;
    open.delete(i);
    idle.delete(i);
    paused.delete(i);
    if (await attempt('close', () => api.call<Counter>(clerks[i]!.token, 'POST', counterPath(i, 'close'))))
      say(`counter ${counters[i]!.number} closes`);
  };

  /** A counter looks for its next customer. */
  const serveNext = async (i: number): Promise<void> => {
    if (!open.has(i) || stopped) return;
    if (phase() === 'over') return closeOne(i);
    const clerk = clerks[i]!;
    const ticket = await attempt('call', () =>
      api.call<Ticket | null>(clerk.token, 'POST', counterPath(i, 'call-next'), {}),
    );
    if (!ticket) {
      if (phase() !== 'open') return closeOne(i);
      idle.add(i);
      // Looks again now and then (a transfer, or a queue of its profile that arrivals did not wake) —
      // unless something woke it meanwhile: one chain of work per counter.
      const spell = ++idleSpell[i]!;
      after(3 * MINUTE, async () => {
        if (idle.has(i) && idleSpell[i] === spell) {
          idle.delete(i);
          await serveNext(i);
        }
      });
      return;
    }
    idle.delete(i);
    const id = ticket.id;
    if (rnd() < SHARES.noShow) {
      // Recalled every minute until the limit makes it a no-show.
      const recall = async (): Promise<void> => {
        const t = await attempt('recall', () =>
          api.call<Ticket>(clerk.token, 'POST', `/api/tickets/${id}/recall`),
        );
        if (!t || t.status === 'no_show') {
          if (t) noShows++;
          return void after(0.2 * MINUTE, () => serveNext(i));
        }
        after(MINUTE, recall);
      };
      if (rnd() < 0.5) after(MINUTE, recall);
      else
        after(2 * MINUTE, async () => {
          if (
            await attempt('no-show', () =>
              api.call<Ticket>(clerk.token, 'POST', `/api/tickets/${id}/no-show`),
            )
          )
            noShows++;
          after(0.2 * MINUTE, () => serveNext(i));
        });
      return;
    }
    after((0.3 + rnd() * 1.2) * MINUTE, async () => {
      await attempt('start', () => api.call<Ticket>(clerk.token, 'POST', `/api/tickets/${id}/start`));
      const service = Math.max(0.7, logNormal(meanOf.get(ticket.category) ?? 7)) * MINUTE;
      after(service, async () => {
        const elsewhere = config.queues.find((q) => q.code !== ticket.queue);
        if (elsewhere && rnd() < SHARES.transfer) {
          if (
            await attempt('transfer', () =>
              api.call<Ticket>(clerk.token, 'POST', `/api/tickets/${id}/transfer`, { queue: elsewhere.code }),
            )
          ) {
            transfers++;
            wakeIdle();
          }
          return void after(0.3 * MINUTE, () => serveNext(i));
        }
        let selling = 0;
        if (rnd() < SHARES.selling) {
          await attempt('business done', () =>
            api.call<Ticket>(clerk.token, 'POST', `/api/tickets/${id}/business-done`),
          );
          selling = (1 + rnd() * 3) * MINUTE;
        }
        after(selling, async () => {
          const done = await attempt('finish', () =>
            api.call<Ticket>(clerk.token, 'POST', `/api/tickets/${id}/finish`, {
              outcome: rnd() < 0.95 ? 'served' : 'partly_served',
              business: [ticket.categoryName],
            }),
          );
          if (done) served++;
          after((0.2 + rnd() * 0.5) * MINUTE, () => serveNext(i));
        });
      });
    });
  };

  const wakeIdle = () => {
    for (const i of [...idle]) {
      idle.delete(i);
      after((0.05 + rnd() * 0.2) * MINUTE, () => serveNext(i));
    }
  };

  const openOne = async (i: number): Promise<void> => {
    const done = await attempt('open', () =>
      api.call<Counter>(clerks[i]!.token, 'POST', counterPath(i, 'open'), {}),
    );
    if (!done) return;
    open.add(i);
    used.add(i);
    say(`${clerks[i]!.name} opens counter ${counters[i]!.number}`);
    after(0.1 * MINUTE, () => serveNext(i));
  };

  // Arrivals: thinning of a Poisson process with the rate of the simulated hour.
  const peak = peakArrivalsPerMinute(counters.length, load);
  const arrive = async (): Promise<void> => {
    const m = simNow();
    if (m >= closes - 5) return;
    if (rnd() * peak <= arrivalsPerMinute(Math.floor(m / 60), counters.length, load)) {
      const guide = rnd() < SHARES.guide;
      const ticket = await attempt('take', () =>
        api.call<Ticket>(guide ? manager.token : kiosk, 'POST', `/api/halls/${hall.id}/tickets`, {
          category: category(),
        }),
      );
      if (ticket) {
        taken++;
        wakeIdle();
      }
    }
    after(exp(1 / peak), arrive);
  };

  // Staffing: 60% of the counters at opening, more when the floor view advises.
  const initially = Math.max(1, Math.ceil(counters.length * 0.6));
  for (let i = 0; i < initially; i++) at(opens + i * 0.02, () => openOne(i));
  at(opens + exp(1 / peak), arrive);
  const supervise = async (): Promise<void> => {
    if (phase() !== 'open') return;
    await attempt('alerts', () =>
      api.call(manager.token, 'POST', `/api/halls/${hall.id}/queue/check-alerts`),
    );
    const state = await attempt('floor view', () =>
      api.call<QueueStateT>(manager.token, 'GET', `/api/halls/${hall.id}/queue`),
    );
    const advice = state ? Math.max(0, ...state.queues.map((q) => q.countersToOpen)) : 0;
    const closed = counters.map((_, i) => i).filter((i) => !open.has(i) && !paused.has(i));
    if (advice > 0 && closed.length > 0) {
      say(
        `the duty manager opens counter ${counters[closed[0]!]!.number} (the floor view advises ${advice})`,
      );
      await openOne(closed[0]!);
    }
    after(10 * MINUTE, supervise);
  };
  at(opens + 10 * MINUTE, supervise);

  // Lunch: each open counter pauses for 30 minutes in turn (refused while too many wait — it tries later).
  const lunch = async (i: number, tries: number): Promise<void> => {
    if (!open.has(i) || tries > 6 || phase() !== 'open') return;
    if (!idle.has(i)) return void after(5 * MINUTE, () => lunch(i, tries + 1));
    // Out of the open and idle counters while the pause is asked, so no arrival wakes it meanwhile.
    open.delete(i);
    idle.delete(i);
    paused.add(i);
    const done = await attempt('pause', () =>
      api.call<Counter>(clerks[i]!.token, 'POST', counterPath(i, 'pause'), {
        reason: '午餐',
        override: false,
      }),
    );
    if (!done) {
      paused.delete(i);
      open.add(i);
      after(0.1 * MINUTE, () => serveNext(i));
      return void after(10 * MINUTE, () => lunch(i, tries + 1));
    }
    say(`counter ${counters[i]!.number} pauses for lunch`);
    after(30 * MINUTE, async () => {
      if (phase() !== 'open') return closeOne(i);
      if (
        await attempt('resume', () => api.call<Counter>(clerks[i]!.token, 'POST', counterPath(i, 'resume')))
      ) {
        paused.delete(i);
        open.add(i);
        await serveNext(i);
      }
    });
  };
  const lunchStart = 11 * 60 + 30;
  if (lunchStart > opens && lunchStart < closes - 60)
    for (let i = 0; i < counters.length; i++) at(lunchStart + (i % 4) * 30, () => lunch(i, 0));

  // Closing: no more arrivals; idle counters close, busy ones serve who waits and then close.
  at(closes, async () => {
    say(`closing time: ${taken} tickets taken; the counters serve who still waits`);
    for (const i of [...idle]) await closeOne(i);
  });
  at(closes + DRAIN_MINUTES, async () => {
    for (const i of [...paused]) await closeOne(i);
  });
  // Progress.
  const progress = async (): Promise<void> => {
    say(`${taken} taken, ${served} served, ${open.size} counters open`);
    if (phase() === 'open') after(30 * MINUTE, progress);
  };
  at(opens + 30 * MINUTE, progress);

  await finished;
  options.signal?.removeEventListener('abort', onAbort);

  /* The end: nothing the run opened stays open, nothing it made for the run stays valid. */
  let cancelledAtEnd = 0;
  const waiting = await attempt('waiting tickets', () =>
    api.call<{ items: Ticket[] }>(
      manager.token,
      'GET',
      `/api/halls/${hall.id}/tickets?status=waiting&limit=500`,
    ),
  );
  for (const t of waiting?.items ?? []) {
    if (await attempt('cancel', () => api.call<Ticket>(manager.token, 'POST', `/api/tickets/${t.id}/cancel`)))
      cancelledAtEnd++;
  }
  if (cancelledAtEnd > 0) say(`the duty manager cancels ${cancelledAtEnd} tickets still waiting`);
  const after_ = await attempt('floor view', () =>
    api.call<QueueStateT>(manager.token, 'GET', `/api/halls/${hall.id}/queue`),
  );
  for (const c of after_?.counters ?? []) {
    const i = counters.findIndex((x) => x.id === c.id);
    if (i < 0 || c.state === 'closed') continue;
    // The customer still at the counter: a called one did not come, a served one is finished.
    const counter = await attempt('counter', () =>
      api.call<Counter>(clerks[i]!.token, 'GET', `/api/counters/${c.id}`),
    );
    const ticket = counter?.currentTicket;
    if (ticket?.status === 'called')
      await attempt('no-show', () => api.call(clerks[i]!.token, 'POST', `/api/tickets/${ticket.id}/no-show`));
    else if (ticket?.status === 'serving')
      await attempt('finish', () =>
        api.call(clerks[i]!.token, 'POST', `/api/tickets/${ticket.id}/finish`, {
          outcome: 'served',
          business: [ticket.categoryName],
        }),
      );
    await closeOne(i, true);
  }
  if (kioskTokenId)
    await attempt('revoke kiosk token', () => api.call(admin.token, 'DELETE', `/api/tokens/${kioskTokenId}`));

  const date = localDate(Date.now(), tz);
  const stats = await attempt('statistics', () =>
    api.call<Stats>(
      manager.token,
      'GET',
      `/api/queue/stats?unitId=${hall.id}&from=${date}&to=${date}&by=hall`,
    ),
  );
  for (const s of [manager, ...clerks, admin])
    await attempt('log out', () => api.call(s.token, 'POST', '/api/auth/logout'));
  return {
    hallId: hall.id,
    hallCode: hall.code,
    date,
    timeZone: tz,
    created: target.kind === 'create',
    taken,
    served,
    noShows,
    transfers,
    cancelledAtEnd,
    countersUsed: used.size,
    refusedCommands: refused,
    realSeconds: (Date.now() - started) / 1000,
    stats: stats?.rows[0] ?? null,
  };
}

export const SIMULATE_USAGE =
  'usage: fuwu simulate --hall CODE [--server URL] [--user U] [--speed 60] [--from HH:mm] [--to HH:mm] ' +
  '[--load 1] [--seed N] [--kiosk-token T] [--quiet]\n' +
  "  plays today at the hall's training hall (CODE-SIM, made when missing) on a running server, through its API;\n" +
  '  the password from FUWU_PASSWORD or a prompt; --server or FUWU_URL (default http://127.0.0.1:$PORT or 3000),\n' +
  '  --user or FUWU_USER, --kiosk-token or FUWU_KIOSK_TOKEN';

/** Reads a password from the terminal without echoing it. */
async function promptPassword(question: string): Promise<string> {
  const { stdin, stdout } = process;
  if (!stdin.isTTY)
    throw new SimulationError('no password: set FUWU_PASSWORD, or run in a terminal to be asked for it');
  stdout.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolve(typed);
        }
        if (ch === '\u0003') {
          done();
          return reject(new SimulationError('cancelled'));
        }
        if (ch === '\u007f') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** The options of `fuwu simulate` from its arguments and the environment (no password yet). */
export function simulateArgs(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): Omit<ServerSimulationOptions, 'password'> & { password: string | undefined; quiet: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      hall: { type: 'string' },
      server: { type: 'string' },
      user: { type: 'string' },
      speed: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      load: { type: 'string' },
      seed: { type: 'string' },
      'kiosk-token': { type: 'string' },
      quiet: { type: 'boolean' },
      date: { type: 'string' },
    },
  });
  if (values.date !== undefined)
    throw new SimulationError(
      'fuwu simulate no longer opens the database or plays another date: it plays today on a running server ' +
        `through its API, in a training hall.\n${SIMULATE_USAGE}`,
    );
  const username = values.user ?? env.FUWU_USER;
  if (!values.hall || !username) throw new SimulationError(SIMULATE_USAGE);
  const number = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new SimulationError(`--${name} is a number`);
    return n;
  };
  const speed = number(values.speed, 'speed');
  const load = number(values.load, 'load');
  const seed = number(values.seed, 'seed');
  const kioskToken = values['kiosk-token'] ?? env.FUWU_KIOSK_TOKEN;
  return {
    server: values.server ?? env.FUWU_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`,
    username,
    password: env.FUWU_PASSWORD,
    hall: values.hall,
    ...(speed === undefined ? {} : { speed }),
    ...(load === undefined ? {} : { load }),
    ...(seed === undefined ? {} : { seed }),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(kioskToken ? { kioskToken } : {}),
    quiet: values.quiet ?? false,
  };
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const min = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} min`);

/** The CLI: parses the arguments, plays the day on the server, prints the server's statistics of it. */
export async function runSimulateCommand(args: string[]): Promise<void> {
  try {
    await simulateCommand(args);
  } catch (err) {
    // A refusal or the server's problem is for the person at the terminal, as it is (it holds no personal data).
    if (!(err instanceof SimulationError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}

async function simulateCommand(args: string[]): Promise<void> {
  const { quiet, password, ...parsed } = simulateArgs(args);
  const options: ServerSimulationOptions = {
    ...parsed,
    password: password ?? (await promptPassword(`password of ${parsed.username}: `)),
    log: quiet ? () => undefined : (line) => console.log(line),
  };
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    console.log('\nstopping: closing the simulated counters (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await simulateOnServer({ ...options, signal: controller.signal });
    const s = summary.stats;
    console.log(
      `\nsimulated ${summary.date} at ${summary.hallCode}${summary.created ? ' (made for this run)' : ''} ` +
        `in ${summary.realSeconds.toFixed(0)} s; the server's statistics of the hall for the day:`,
    );
    console.log(
      `  tickets ${s?.tickets ?? 0} (${JSON.stringify(s?.byChannel ?? {})}); this run took ${summary.taken}, ` +
        `served ${summary.served}, no-shows ${summary.noShows}, transfers ${summary.transfers}, ` +
        `cancelled at the end ${summary.cancelledAtEnd}, counters used ${summary.countersUsed}`,
    );
    if (s) {
      console.log(
        `  served ${s.served}, no-shows ${s.noShows}, not served ${s.notServed}; wait: average ${min(s.wait.averageMinutes)}, ` +
          `p90 ${min(s.wait.p90Minutes)}; transaction: average ${min(s.transaction.averageMinutes)}, ` +
          `within ${s.transaction.limitsMinutes.join('/')} min ${pct(s.transaction.withinLimitShare)}`,
      );
      console.log(
        `  (measured by the server on a day played ${options.speed ?? 60}× as fast: ` +
          `×${options.speed ?? 60} gives the simulated day's minutes)`,
      );
    }
    if (summary.refusedCommands > 0)
      console.log(`  ${summary.refusedCommands} commands were refused by the server (see the log above)`);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
