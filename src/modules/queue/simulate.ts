/**
 * A past day of a hall played in-process through the real commands on a ManualClock, for tests that need a
 * day of history on a database they own (test/api/queue-stats.test.ts). It is not a command: `fuwu
 * simulate` plays against a running server through its API (`simulate-http.ts`) and never opens the
 * database, so it cannot damage data another process holds.
 *
 * Arrivals follow a Poisson process whose rate changes by hour of day (morning and afternoon peaks); categories, service times (log-normal around each category's mean), the VIP and 3G share, remote
 * tickets, appointments, no-shows, transfers, proactive selling and lunch pauses follow typical shares.
 * The duty manager opens another counter when the floor view advises it. At closing the day is closed.
 *
 * `speed: 0` (the default) runs as fast as the database allows.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { atLocal } from '../../core/calendar.ts';
import { closingTimeOn, openingTimeOn } from '../../core/queue-day.ts';
import { COUNTER_POSITIONS } from './policy.ts';
import type { Actor } from '../../platform/auth/policy.ts';
import { systemActor } from '../../platform/auth/policy.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/index.ts';
import { rows, schema } from '../../platform/db/index.ts';
import { newId } from '../../platform/ids.ts';
import { scheduleOf } from '../calendar/service.ts';
import type { Stats } from './contract.ts';
import { bookAppointment, checkIn } from './appointments.ts';
import { closeDay, raiseAlerts } from './day.ts';
import { queueCounters, queueTickets } from './schema.ts';
import {
  callNext,
  closeCounter,
  finishTicket,
  markBusinessDone,
  noShowTicket,
  openCounter,
  pauseCounter,
  recallTicket,
  resumeCounter,
  startTicket,
  takeTicket,
  transferTicket,
} from './service.ts';
import { hallConfig, hallRef } from './shared.ts';
import type { HallRef } from './shared.ts';
import { queueState, queueStats } from './views.ts';

export interface SimulateOptions {
  /** Hall code (e.g. YC-QY-H01) or id. */
  hall: string;
  date: string;
  /** Simulated minutes per real minute; 0 = as fast as possible. */
  speed?: number;
  seed?: number;
  /** Multiplies the arrival rate (1 = a busy day for the hall's size). */
  load?: number;
  log?: (line: string) => void;
}

export interface SimulationSummary {
  hallId: string;
  date: string;
  /** Tickets taken: walk-ins, remote tickets and appointment check-ins. */
  arrivals: number;
  appointments: number;
  countersUsed: number;
  stats: Stats['rows'][number] | null;
}

/** Customers per hour per counter of the hall, by local hour (a weekday with two peaks). */
const HOURLY = [0, 0, 0, 0, 0, 0, 0, 0, 3.5, 5.5, 7.5, 7, 4.5, 4.5, 6.5, 7.5, 7, 5.5, 4, 2, 1, 0, 0, 0];

const CATEGORY_MIX: Record<string, number> = {
  business: 0.34,
  payment: 0.24,
  '3g': 0.12,
  terminal: 0.1,
  repair: 0.08,
  complaint: 0.06,
  group: 0.06,
};

const SHARES = {
  knownPhone: 0.55,
  vip: 0.15,
  remote: 0.08,
  guide: 0.12,
  noShow: 0.04,
  transfer: 0.03,
  selling: 0.22,
  appointmentsPerHour: 0.6,
  appointmentNoShow: 0.1,
};

/** mulberry32: a small seeded generator, so a day can be played again identically. */
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

interface SimEvent {
  at: number;
  seq: number;
  run: () => Promise<void>;
}

/** A binary heap of events by time (then insertion order). */
class Agenda {
  private heap: SimEvent[] = [];
  private seq = 0;
  get size(): number {
    return this.heap.length;
  }
  push(at: number, run: () => Promise<void>): void {
    const e = { at, seq: this.seq++, run };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.before(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
  private before(a: SimEvent, b: SimEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

const MINUTE = 60_000;

async function findHall(db: Db, codeOrId: string): Promise<HallRef> {
  const [row] = await db
    .select({ id: schema.units.id })
    .from(schema.units)
    .where(
      /^[0-9a-f-]{36}$/i.test(codeOrId) ? eq(schema.units.id, codeOrId) : eq(schema.units.code, codeOrId),
    );
  if (!row) throw new Error(`no hall ${codeOrId}`);
  return hallRef(db, row.id);
}

/** Clerks for the counters: the hall's front-desk staff, then stand-ins named 模拟柜员 N. */
async function clerksOf(db: Db, hall: HallRef, wanted: number): Promise<Actor[]> {
  const found = await rows<{ id: string; name: string; positions: string[] }>(
    db,
    sql`select s.id, s.name, array_agg(p.position) as positions from staff s
        join staff_positions p on p.staff_id = s.id
        where s.unit_id = ${hall.id} and s.active group by s.id, s.name order by s.name`,
  );
  const clerks: Actor[] = found
    .filter((s) => s.positions.some((p) => (COUNTER_POSITIONS as readonly string[]).includes(p)))
    .map((s) => ({
      kind: 'staff' as const,
      id: s.id,
      name: s.name,
      unitId: hall.id,
      unitPath: hall.path,
      provinceId: hall.provinceId,
      positions: ['acceptance' as const],
    }));
  for (let i = clerks.length; i < wanted; i++) {
    clerks.push({
      kind: 'staff',
      id: newId(),
      name: `模拟柜员${i + 1}`,
      unitId: hall.id,
      unitPath: hall.path,
      provinceId: hall.provinceId,
      positions: ['acceptance'],
    });
  }
  return clerks;
}

/** Plays one day of a hall through the real commands; returns its statistics. */
export async function simulateDay(db: Db, options: SimulateOptions): Promise<SimulationSummary> {
  const log = options.log ?? (() => undefined);
  const hall = await findHall(db, options.hall);
  const config = await hallConfig(db, hall);
  const schedule = await scheduleOf(db, hall.id);
  const opens = openingTimeOn(schedule, options.date);
  const closes = closingTimeOn(schedule, options.date);
  if (!opens || !closes) throw new Error(`${hall.name} is closed on ${options.date}`);
  const [already] = await db
    .select({ n: count() })
    .from(queueTickets)
    .where(and(eq(queueTickets.unitId, hall.id), eq(queueTickets.localDate, options.date)));
  if ((already?.n ?? 0) > 0) {
    throw new Error(`${hall.name} already has ${already!.n} tickets on ${options.date}; pick another date`);
  }
  const counters = await db
    .select()
    .from(queueCounters)
    .where(
      and(
        eq(queueCounters.unitId, hall.id),
        eq(queueCounters.active, true),
        eq(queueCounters.state, 'closed'),
      ),
    )
    .orderBy(queueCounters.number);
  if (counters.length === 0) throw new Error(`${hall.name} has no closed counter to staff`);

  const rnd = random(options.seed ?? Number(options.date.replaceAll('-', '')));
  const clock = new ManualClock(opens);
  const base = { db, clock, requestId: 'simulate', clientIp: '' };
  const system: Ctx = { ...base, actor: systemActor(hall, 'simulate') };
  const clerks = await clerksOf(db, hall, counters.length);
  const clerkCtx = counters.map((_, i) => ({ ...base, actor: clerks[i]! }) as Ctx);
  const speed = options.speed ?? 0;
  const load = options.load ?? 1;

  // Phones of the province's customers, VIP (diamond, gold, silver, 3G) and others.
  const customers = await rows<{ phone: string; tier: string; is3g: boolean }>(
    db,
    sql`select contact_phone as phone, club_tier as tier, is_3g as "is3g" from customers
        where unit_path like ${`/${hall.path.split('/').filter(Boolean).slice(0, 2).join('/')}/%`} and contact_phone <> ''`,
  );
  const vips = customers.filter((c) => c.tier !== 'ordinary' || c.is3g);
  const others = customers.filter((c) => c.tier === 'ordinary' && !c.is3g);
  const bookable = customers.filter(
    (c) => c.tier === 'diamond' || c.tier === 'gold' || (c.is3g && c.tier === 'silver'),
  );
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(rnd() * list.length)];
  const exp = (mean: number) => -Math.log(1 - rnd()) * mean;
  const logNormal = (mean: number) => {
    const sigma = 0.45;
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return mean * Math.exp(sigma * z - (sigma * sigma) / 2);
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

  const agenda = new Agenda();
  const opensAt = opens.getTime();
  const closesAt = closes.getTime();
  let arrivals = 0;
  let appointments = 0;
  const idle = new Set<number>();
  const open = new Set<number>();
  const paused = new Set<number>();

  const tryCommand = async <T>(what: string, work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (err) {
      log(`  ${new Date(clock.now()).toISOString().slice(11, 16)} ${what}: ${(err as Error).message}`);
      return null;
    }
  };

  /** A counter looks for its next customer. */
  const serveNext = async (i: number): Promise<void> => {
    if (!open.has(i)) return;
    const ctx = clerkCtx[i]!;
    const counterId = counters[i]!.id;
    const ticket = await tryCommand('call', () => callNext(ctx, counterId));
    if (!ticket) {
      idle.add(i);
      return;
    }
    idle.delete(i);
    const walk = (0.3 + rnd() * 1.2) * MINUTE;
    if (rnd() < SHARES.noShow) {
      // Recalled every minute until the limit makes it a no-show.
      const recall = async (): Promise<void> => {
        const t = await tryCommand('recall', () => recallTicket(ctx, ticket.id));
        if (!t || t.status === 'no_show')
          return void agenda.push(clock.now().getTime() + 0.2 * MINUTE, () => serveNext(i));
        agenda.push(clock.now().getTime() + MINUTE, recall);
      };
      if (rnd() < 0.5) {
        agenda.push(clock.now().getTime() + MINUTE, recall);
      } else {
        agenda.push(clock.now().getTime() + 2 * MINUTE, async () => {
          await tryCommand('no-show', () => noShowTicket(ctx, ticket.id));
          agenda.push(clock.now().getTime() + 0.2 * MINUTE, () => serveNext(i));
        });
      }
      return;
    }
    agenda.push(clock.now().getTime() + walk, async () => {
      await tryCommand('start', () => startTicket(ctx, ticket.id));
      const service = Math.max(0.7, logNormal(meanOf.get(ticket.category) ?? 7)) * MINUTE;
      agenda.push(clock.now().getTime() + service, async () => {
        const target = ['service', 'normal'].find(
          (q) => q !== ticket.queue && config.queues.some((x) => x.code === q),
        );
        if (target && rnd() < SHARES.transfer) {
          await tryCommand('transfer', () => transferTicket(ctx, ticket.id, { queue: target }));
          agenda.push(clock.now().getTime() + 0.3 * MINUTE, () => serveNext(i));
          return;
        }
        let selling = 0;
        if (rnd() < SHARES.selling) {
          await tryCommand('business done', () => markBusinessDone(ctx, ticket.id));
          selling = (1 + rnd() * 3) * MINUTE;
        }
        agenda.push(clock.now().getTime() + selling, async () => {
          await tryCommand('finish', () =>
            finishTicket(ctx, ticket.id, {
              outcome: rnd() < 0.95 ? 'served' : 'partly_served',
              business: [ticket.categoryName],
            }),
          );
          agenda.push(clock.now().getTime() + (0.2 + rnd() * 0.5) * MINUTE, () => serveNext(i));
        });
      });
    });
  };

  const wakeIdle = () => {
    for (const i of [...idle]) {
      idle.delete(i);
      agenda.push(clock.now().getTime() + (0.05 + rnd() * 0.2) * MINUTE, () => serveNext(i));
    }
  };

  const openOne = async (i: number): Promise<void> => {
    const done = await tryCommand('open', () => openCounter(clerkCtx[i]!, counters[i]!.id));
    if (!done) return;
    open.add(i);
    agenda.push(clock.now().getTime() + 0.1 * MINUTE, () => serveNext(i));
  };

  // Arrivals: thinning of a Poisson process with the hourly rate.
  const perCounter = counters.length * load;
  const hourOf = new Intl.DateTimeFormat('en-GB', {
    hour: 'numeric',
    hourCycle: 'h23',
    timeZone: hall.timeZone,
  });
  const rateAt = (t: number) => ((HOURLY[Number(hourOf.format(t)) % 24] ?? 0) * perCounter) / 60;
  const maxRate = (Math.max(...HOURLY) * perCounter) / 60;
  const arrive = async (): Promise<void> => {
    const t = clock.now().getTime();
    if (rnd() * maxRate <= rateAt(t)) {
      const vip = rnd() < SHARES.vip;
      const known = vip || rnd() < SHARES.knownPhone;
      const phone = known ? (vip ? pick(vips) : pick(others))?.phone : undefined;
      const r = rnd();
      const channel =
        r < SHARES.remote && phone ? 'remote' : r < SHARES.remote + SHARES.guide ? 'guide' : 'kiosk';
      const ticket = await tryCommand('take', () =>
        takeTicket(system, hall.id, { category: category(), ...(phone ? { phone } : {}) }, { channel }),
      );
      if (ticket) {
        arrivals++;
        wakeIdle();
      }
    }
    const next = t + exp(1 / maxRate) * MINUTE;
    if (next < closesAt - 5 * MINUTE) agenda.push(next, arrive);
  };

  // Appointments booked the day before, checked in around their slot (some never come).
  const booked = new Set<string>();
  const slotsPerDay = Math.round(((closesAt - opensAt) / 3_600_000) * SHARES.appointmentsPerHour);
  for (let k = 0; k < slotsPerDay && bookable.length > 0; k++) {
    const customer = pick(bookable)!;
    if (booked.has(customer.phone)) continue;
    booked.add(customer.phone);
    const slotStart = new Date(
      opensAt +
        Math.floor(rnd() * ((closesAt - opensAt - 60 * MINUTE) / (30 * MINUTE))) * 30 * MINUTE +
        30 * MINUTE,
    );
    clock.set(new Date(opensAt - 18 * 3_600_000));
    const made = await tryCommand('book', () =>
      bookAppointment(system, hall.id, {
        phone: customer.phone,
        category: category(),
        slotStart: slotStart.toISOString(),
      }),
    );
    if (!made) continue;
    appointments++;
    if (rnd() < SHARES.appointmentNoShow) continue;
    agenda.push(slotStart.getTime() + (rnd() * 40 - 15) * MINUTE, async () => {
      if (await tryCommand('check-in', () => checkIn(system, hall.id, customer.phone))) {
        arrivals++;
        wakeIdle();
      }
    });
  }
  clock.set(opens);

  // Staffing: 60% of the counters at opening, more when the floor view advises.
  const initially = Math.max(1, Math.ceil(counters.length * 0.6));
  for (let i = 0; i < initially; i++) agenda.push(opensAt + i * 1000, () => openOne(i));
  agenda.push(opensAt + exp(1 / maxRate) * MINUTE, arrive);
  const supervise = async (): Promise<void> => {
    await tryCommand('alerts', () => raiseAlerts(system, hall.id));
    const state = await queueState(system, hall.id);
    const advice = Math.max(0, ...state.queues.map((q) => q.countersToOpen));
    const closed = counters.map((_, i) => i).filter((i) => !open.has(i) && !paused.has(i));
    if (advice > 0 && closed.length > 0) {
      log(
        `  ${localTime(clock.now(), hall.timeZone)} the duty manager opens counter ${counters[closed[0]!]!.number}`,
      );
      await openOne(closed[0]!);
    }
    if (clock.now().getTime() + 10 * MINUTE < closesAt)
      agenda.push(clock.now().getTime() + 10 * MINUTE, supervise);
  };
  agenda.push(opensAt + 10 * MINUTE, supervise);
  // Lunch: each open counter pauses for 30 minutes in turn (refused while too many wait — it tries later).
  const lunch = async (i: number, tries: number): Promise<void> => {
    if (!open.has(i) || tries > 6) return;
    if (!idle.has(i)) return void agenda.push(clock.now().getTime() + 5 * MINUTE, () => lunch(i, tries + 1));
    const done = await tryCommand('pause', () =>
      pauseCounter(clerkCtx[i]!, counters[i]!.id, { reason: '午餐', override: false }),
    );
    if (!done) return void agenda.push(clock.now().getTime() + 10 * MINUTE, () => lunch(i, tries + 1));
    open.delete(i);
    idle.delete(i);
    paused.add(i);
    agenda.push(clock.now().getTime() + 30 * MINUTE, async () => {
      paused.delete(i);
      if (clock.now().getTime() >= closesAt) return;
      if (await tryCommand('resume', () => resumeCounter(clerkCtx[i]!, counters[i]!.id))) {
        open.add(i);
        await serveNext(i);
      }
    });
  };
  const lunchStart = atLocal(options.date, '11:30', hall.timeZone).getTime();
  for (let i = 0; i < counters.length; i++)
    agenda.push(lunchStart + (i % 4) * 30 * MINUTE, () => lunch(i, 0));

  // The day ends: counters finish what they serve, then the day is closed.
  agenda.push(closesAt, async () => {
    for (const i of [...open]) if (idle.has(i)) open.delete(i);
  });

  let last = opensAt;
  let steps = 0;
  while (agenda.size > 0) {
    const e = agenda.pop()!;
    if (e.at >= closesAt + 90 * MINUTE) break;
    if (speed > 0 && e.at > last) await new Promise((r) => setTimeout(r, ((e.at - last) / speed) * 1));
    last = Math.max(last, e.at);
    clock.set(new Date(Math.max(e.at, clock.now().getTime())));
    if (e.at >= closesAt) {
      // After closing: no new calls; served tickets still finish.
      open.clear();
    }
    await e.run();
    if (++steps % 200 === 0) log(`  ${localTime(clock.now(), hall.timeZone)} ${arrivals} tickets so far`);
  }
  clock.set(new Date(Math.max(clock.now().getTime(), closesAt) + MINUTE));
  await tryCommand('close day', () => closeDay(system, hall.id, options.date));
  for (const [i, c] of counters.entries()) {
    const [row] = await db.select().from(queueCounters).where(eq(queueCounters.id, c.id));
    if (row && row.state !== 'closed' && !row.currentTicketId)
      await tryCommand('close', () => closeCounter(clerkCtx[i]!, c.id));
  }
  const used = await db
    .selectDistinct({ counterId: schema.events.subjectId })
    .from(schema.events)
    .where(
      and(
        eq(schema.events.action, 'counter.opened'),
        inArray(
          schema.events.subjectId,
          counters.map((c) => c.id),
        ),
      ),
    );
  const stats = await queueStats(system, {
    unitId: hall.id,
    from: options.date,
    to: options.date,
    by: 'hall',
  });
  return {
    hallId: hall.id,
    date: options.date,
    arrivals,
    appointments,
    countersUsed: used.length,
    stats: stats.rows[0] ?? null,
  };
}

function localTime(at: Date, timeZone: string): string {
  return at.toLocaleTimeString('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
}
