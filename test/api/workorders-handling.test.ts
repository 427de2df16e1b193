/**
 * Working on an order through HTTP (issue #14): two agents claim at once and one wins; the province centre
 * dispatches to the city's network department with the hop's own limit; the department pauses (the clock
 * stops), resumes and answers back up to the agent who sent it; the agent handles it; only the owner
 * (首问负责人) replies — by SMS — and closes; it reopens with the answered time not counted. Automatic
 * assignment takes turns among the members on duty; a supervisor transfers ownership, as its own event;
 * stale versions, wrong states, siblings and positions are refused with nothing written; the due-time
 * table fires each escalation once, a missed first response, and an overdue hop.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Category,
  WorkOrder,
  WorkOrderDetail,
  WorkOrderReport,
} from '../../src/modules/workorders/contract.ts';
import { dueCount, fireDue } from '../../src/modules/workorders/timers.ts';
import { openDatabase, rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
const cookies: Record<string, string> = {};
const units: Record<string, string> = {};
let customer: { id: string; phone: string };
let categories: Category[];

const STAFF = [
  'qy_complaint',
  'qy_manager',
  'qy_clerk',
  'xk_manager',
  'cc_agent1',
  'cc_agent2',
  'cc_complaints',
  'qy_net',
];
const as = (who: string) => ({
  get: (url: string) => t.as(cookies[who]!, { method: 'GET', url }),
  post: (url: string, payload: Record<string, unknown> = {}) =>
    t.as(cookies[who]!, { method: 'POST', url, payload }),
});
function ok<T = WorkOrderDetail>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; messages: Record<string, string> };
  expect(body.code, res.body).toBe(code);
  expect(body.messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  expect(body.messages['en-US']).toBeTruthy();
}
async function counts() {
  const [r] = await rows<{ orders: number; events: number; steps: number; hops: number }>(
    t.database.db,
    sql`select (select sum(version)::int from work_orders) as orders,
               (select count(*)::int from events where action like 'workorder.%') as events,
               (select count(*)::int from work_order_steps) as steps,
               (select count(*)::int from work_order_hops) as hops`,
  );
  return r!;
}
const cmd = (who: string, o: WorkOrder, action: string, body: Record<string, unknown> = {}) =>
  as(who).post(`/api/work-orders/${o.id}/${action}`, { version: o.version, ...body });
let taken = 0; // complaints taken in against the Renmin Road hall, a service-quality category each
async function newComplaint(title = '宽带经常掉线'): Promise<WorkOrderDetail> {
  taken++;
  return ok(
    await as('qy_complaint').post('/api/work-orders', {
      kind: 'complaint',
      channel: 'counter',
      customerId: customer.id,
      categoryId: categories.find((c) => c.code === 'service.attitude')!.id,
      concernsUnitId: units.hall,
      handlingUnitId: units.centre,
      title,
      description: '客户在营业厅反映',
    }),
    201,
  );
}
/** The order as the centre's agent sees it now (signed in again: sessions last 12 hours). */
async function orderNow(id: string): Promise<WorkOrderDetail> {
  cookies.cc_agent1 = await t.login('cc_agent1');
  return ok(await as('cc_agent1').get(`/api/work-orders/${id}`));
}
const steps = (o: WorkOrderDetail) => o.timeline.map((s) => s.step);

beforeAll(async () => {
  t = await testApp({ customers: 12 });
  for (const who of STAFF) cookies[who] = await t.login(who);
  for (const [key, code] of Object.entries({
    hall: 'YC-QY-H01',
    centre: 'YC-CC',
    net: 'YC-QY-NET',
    seats: 'YC-QY-RS',
  })) {
    const [u] = await rows<{ id: string }>(t.database.db, sql`select id from units where code = ${code}`);
    units[key] = u!.id;
  }
  const [c] = await rows<{ id: string; phone: string }>(
    t.database.db,
    sql`select id, contact_phone as phone from customers where contact_phone ~ '^1[0-9]{10}$' limit 1`,
  );
  customer = c!;
  categories = ok<Category[]>(await as('qy_complaint').get('/api/work-order-categories'));
}, 120_000);
afterAll(() => t.close());

describe('an order through the tiers and back', () => {
  let o: WorkOrderDetail;

  it('two agents claim at once: one has it, the other is told', async () => {
    o = await newComplaint();
    const [a, b] = await Promise.all([cmd('cc_agent1', o, 'claim'), cmd('cc_agent2', o, 'claim')]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes[0], `${a.body} ${b.body}`).toBe(200);
    expect(codes[1]).toBe(409);
    const loser = a.statusCode === 409 ? a : b;
    expect(['already_claimed', 'stale_version']).toContain((loser.json() as { code: string }).code);
    o = ok(await as('cc_agent1').get(`/api/work-orders/${o.id}`));
    expect(o.state).toBe('assigned');
    expect(o.firstResponseAt).not.toBeNull();
    expect(steps(o)).toEqual(['created', 'claimed']);
    // Whoever has it now, make it cc_agent1's for the rest (a supervisor's assignment, recorded).
    if (o.assignee?.name !== '萧然') {
      const agent1 = await rows<{ id: string }>(
        t.database.db,
        sql`select id from staff where username = 'cc_agent1'`,
      );
      o = ok(await cmd('cc_complaints', o, 'assign', { staffId: agent1[0]!.id }));
    }
    expect(o.assignee?.name).toBe('萧然');
    expect(o.may).toEqual(expect.arrayContaining(['dispatch', 'answer', 'pause']));
  });

  it('the centre dispatches to the city’s network department: the hop’s limit is half of what is left', async () => {
    const targets = ok<{ id: string; kind: string }[]>(
      await as('cc_agent1').get(`/api/work-orders/${o.id}/dispatch-targets`),
    );
    expect(targets.map((u) => u.id)).toEqual(expect.arrayContaining([units.net, units.seats]));
    expect(targets.map((u) => u.id)).not.toContain(units.centre);
    const before = o;
    const c = await counts();
    expectProblem(
      await cmd('cc_agent1', o, 'dispatch', { toUnitId: units.net, note: 'x', dueMinutes: 60 * 24 * 30 }),
      422,
      'hop_beyond_limit',
    );
    expect(await counts()).toEqual(c);
    o = ok(await cmd('cc_agent1', o, 'dispatch', { toUnitId: units.net, note: '请核查线路' }));
    expect(o.state).toBe('dispatched');
    expect(o.handlingUnit.id).toBe(units.net);
    expect(o.assignee).toBeNull();
    expect(o.owner.name).toBe('朱红');
    const hop = o.hops[0]!;
    const left = new Date(before.resolutionDueAt!).getTime() - t.clock.now().getTime();
    expect(new Date(hop.dueAt).getTime() - t.clock.now().getTime()).toBe(Math.floor(left / 2));
    const timers = await rows<{ what: string }>(
      t.database.db,
      sql`select what from work_order_timers where order_id = ${o.id} and fired_at is null order by what`,
    );
    expect(timers.map((r) => r.what)).toContain(`hop:${hop.id}`);
    // The department may not send it to a unit outside its reach (the city's remote seats).
    expectProblem(
      await cmd('qy_net', o, 'dispatch', { toUnitId: units.seats, note: '转座席' }),
      422,
      'dispatch_target',
    );
  });

  it('the department claims, pauses for a third party (the clock stops), resumes and answers back up', async () => {
    const seen = ok(await as('qy_net').get(`/api/work-orders/${o.id}`));
    expect(seen.may).toEqual(expect.arrayContaining(['claim']));
    o = ok(await cmd('qy_net', o, 'claim'));
    expect(o.state).toBe('dispatched');
    expect(o.assignee?.name).toBe('范磊');
    o = ok(await cmd('qy_net', o, 'pause', { state: 'waiting_third_party', note: '等待铁塔公司' }));
    expect(o.state).toBe('waiting_third_party');
    expect(o.clocks.resolution.paused).toBe(true);
    expect(o.resolutionDueAt).toBeNull();
    const projected = o.clocks.resolution.projectedDueAt;
    t.clock.advanceMinutes(60);
    o = ok(await cmd('qy_net', o, 'resume', { text: '铁塔公司已回复' }));
    expect(o.state).toBe('dispatched');
    expect(o.clocks.resolution.paused).toBe(false);
    expect(new Date(o.resolutionDueAt!).getTime()).toBeGreaterThan(new Date(projected).getTime());
    o = ok(await cmd('qy_net', o, 'answer', { text: '线路已修复' }));
    expect(o.state).toBe('assigned');
    expect(o.handlingUnit.id).toBe(units.centre);
    expect(o.assignee?.name).toBe('萧然');
    expect(o.hops[0]!.answer).toBe('线路已修复');
    const timers = await rows<{ what: string }>(
      t.database.db,
      sql`select what from work_order_timers where order_id = ${o.id} and what like 'hop:%'`,
    );
    expect(timers).toEqual([]);
  });

  it('the agent handles it; only the owner replies (by SMS) and closes', async () => {
    o = ok(await cmd('cc_agent1', o, 'answer', { text: '已处理，线路恢复' }));
    expect(o.state).toBe('answered');
    expect(o.clocks.resolution.metAt).not.toBeNull();
    expectProblem(await cmd('cc_agent1', o, 'reply', { text: '已修复' }), 403, 'not_owner');
    const mine = ok(await as('qy_complaint').get(`/api/work-orders/${o.id}`));
    expect(mine.may).toContain('reply');
    o = ok(await cmd('qy_complaint', o, 'reply', { text: '您反映的宽带掉线问题已修复' }));
    expect(o.state).toBe('replied');
    const [sms] = await rows<{ recipient: string; body: string }>(
      t.database.db,
      sql`select recipient, body from notify_messages where template = 'workorder.reply'`,
    );
    expect(sms!.recipient).toBe(customer.phone);
    expect(sms!.body).toContain(o.number);
    expect(sms!.body).toContain('朱红');
    o = ok(await cmd('qy_complaint', o, 'close'));
    expect(o.state).toBe('closed');
    expect(steps(o)).toEqual([
      'created',
      'claimed',
      ...(o.timeline.some((s) => s.step === 'assigned') ? ['assigned'] : []),
      'dispatched',
      'claimed',
      'paused',
      'resumed',
      'hop_answered',
      'answered',
      'replied',
      'closed',
    ]);
    const events = await rows<{ action: string }>(
      t.database.db,
      sql`select action from events where subject_id = ${o.id} order by at, id`,
    );
    expect(events.length).toBe(o.timeline.length);
  });

  it('it reopens within the window, the answered time not counted', async () => {
    t.clock.advanceMinutes(120);
    o = ok(await cmd('qy_complaint', o, 'reopen', { text: '客户反映又掉线了' }));
    expect(o.state).toBe('assigned');
    expect(o.reopenCount).toBe(1);
    expect(o.answeredAt).toBeNull();
    expect(o.clocks.resolution.pausedMinutes).toBeGreaterThanOrEqual(60);
  });
});

describe('refusals: stale versions, states, siblings, positions — nothing written', () => {
  it('refuses each with its 4xx', async () => {
    const o = await newComplaint('refusals');
    const before = await counts();
    expectProblem(
      await as('cc_agent1').post(`/api/work-orders/${o.id}/claim`, { version: o.version + 5 }),
      409,
      'stale_version',
    );
    expectProblem(await cmd('cc_agent1', o, 'close'), 403, 'not_owner');
    expectProblem(await cmd('qy_complaint', o, 'close'), 409, 'wrong_state');
    expectProblem(await cmd('cc_agent1', o, 'answer', { text: 'x' }), 409, 'wrong_state');
    expectProblem(await cmd('xk_manager', o, 'claim'), 404, 'not_found');
    expectProblem(await cmd('qy_complaint', o, 'claim'), 422, 'not_in_queue');
    expectProblem(
      await cmd('cc_agent1', o, 'transfer', { toStaffId: o.owner.staffId, reason: 'x' }),
      403,
      'position',
    );
    expectProblem(
      await cmd('cc_agent1', o, 'dispatch', { toUnitId: units.hall, note: '' }),
      400,
      'validation',
    );
    expectProblem(
      await as('cc_agent1').post(`/api/work-orders/${o.id}/pause`, { state: 'closed' }),
      400,
      'validation',
    );
    expectProblem(await as('cc_agent1').get(`/api/work-orders/${customer.id}`), 404, 'not_found');
    expect(await counts()).toEqual(before);
  });

  it('the list shows an order to the units it has been with and above, not to a sibling', async () => {
    const mine = ok<{ items: WorkOrder[]; total: number }>(
      await as('qy_complaint').get('/api/work-orders?mine=true'),
    );
    expect(mine.total).toBeGreaterThanOrEqual(2);
    expect(mine.items.every((i) => i.owner.name === '朱红')).toBe(true);
    const net = ok<{ items: WorkOrder[] }>(await as('qy_net').get('/api/work-orders?state=open'));
    expect(net.items.map((i) => i.title)).toEqual(['宽带经常掉线']);
    const sibling = ok<{ items: WorkOrder[]; total: number }>(await as('xk_manager').get('/api/work-orders'));
    expect(sibling.total).toBe(0);
    const centre = ok<{ items: WorkOrder[] }>(await as('cc_complaints').get('/api/work-orders?state=new'));
    expect(centre.items.every((i) => i.state === 'new')).toBe(true);
    expectProblem(await as('cc_complaints').get('/api/work-orders?limit=0'), 400, 'validation');
  });
});

describe('assignment and ownership', () => {
  it('automatic round robin takes turns among the members on duty', async () => {
    const a = await newComplaint('轮流一');
    const b = await newComplaint('轮流二');
    const x = ok(await cmd('cc_complaints', a, 'assign', { mode: 'round_robin' }));
    const y = ok(await cmd('cc_complaints', b, 'assign', { mode: 'round_robin' }));
    expect(x.assignee).not.toBeNull();
    expect(y.assignee).not.toBeNull();
    expect(x.assignee!.staffId).not.toBe(y.assignee!.staffId);
    // Least loaded: the one with the fewest open orders among those signed in.
    const c = ok(await cmd('cc_complaints', await newComplaint('最少'), 'assign', { mode: 'least_loaded' }));
    const loads = await rows<{ id: string; n: number }>(
      t.database.db,
      sql`select s.id, (select count(*)::int from work_orders w where w.assignee_staff_id = s.id
                          and w.state in ('assigned','dispatched','waiting_customer','waiting_third_party')
                          and w.id <> ${c.id}) as n
            from staff s where s.username in ('cc_agent1','cc_agent2','cc_complaints')`,
    );
    const least = Math.min(...loads.map((l) => l.n));
    expect(loads.find((l) => l.id === c.assignee!.staffId)!.n).toBe(least);
  });

  it('a hall manager (a supervisor) transfers ownership; the new owner replies', async () => {
    const o = await newComplaint('转移');
    const [clerk] = await rows<{ id: string }>(
      t.database.db,
      sql`select id from staff where username = 'qy_clerk'`,
    );
    expectProblem(
      await cmd('qy_complaint', o, 'transfer', { toStaffId: clerk!.id, reason: '休假' }),
      403,
      'position',
    );
    const moved = ok(await cmd('qy_manager', o, 'transfer', { toStaffId: clerk!.id, reason: '朱红休假' }));
    expect(moved.owner.name).toBe('张悦');
    expect(steps(moved)).toContain('transferred');
    expect(moved.timeline.at(-1)!.details).toMatchObject({ from: '朱红', to: '张悦' });
    const seen = ok(await as('qy_clerk').get(`/api/work-orders/${o.id}`));
    expect(seen.owner.name).toBe('张悦');
  });
});

describe('the due-time table', () => {
  it('fires each escalation once, a missed first response and an overdue hop', async () => {
    const o = await newComplaint('超时');
    const hopped = await newComplaint('派单超时');
    const claimed = ok(await cmd('cc_agent1', hopped, 'claim'));
    ok(await cmd('cc_agent1', claimed, 'dispatch', { toUnitId: units.net, note: '查线路', dueMinutes: 30 }));
    t.clock.advanceMinutes(31);
    expect(await fireDue(t.database.db, t.clock)).toBeGreaterThanOrEqual(1);
    const h = ok(await as('cc_agent1').get(`/api/work-orders/${hopped.id}`));
    expect(steps(h)).toContain('hop_overdue');
    expect(h.hops[0]!.overdue).toBe(true);
    // The complaint's ladder: warn the owner at 80% of 2 working days, the supervisor at 100%, the
    // superior unit some hours after; a worker that fires each as it falls due raises each once.
    const { elapsedMinutes: used, remainingMinutes: left } = (await orderNow(o.id)).clocks.resolution;
    const total = used + left;
    const level = async () => (await orderNow(o.id)).escalationLevel;
    t.clock.advanceMinutes(Math.round(left - 0.1 * total)); // 90% (working days only so far)
    await fireDue(t.database.db, t.clock);
    expect(await level()).toBe('warn_owner');
    t.clock.advanceMinutes(Math.round(0.2 * total));
    await fireDue(t.database.db, t.clock);
    expect(await level()).toBe('supervisor');
    t.clock.advanceMinutes(5 * 24 * 60);
    await fireDue(t.database.db, t.clock);
    expect(await fireDue(t.database.db, t.clock)).toBe(0);
    const [row] = await rows<{ escalation_level: string; n: number; r: number }>(
      t.database.db,
      sql`select escalation_level,
                 (select count(*)::int from work_order_steps where order_id = ${o.id} and step = 'escalated') as n,
                 (select count(*)::int from work_order_steps where order_id = ${o.id} and step = 'response_overdue') as r
            from work_orders where id = ${o.id}`,
    );
    expect(row!.escalation_level).toBe('superior_unit');
    expect(row!.n).toBe(3);
    expect(row!.r).toBe(1);
    // The steps told their people by SMS: the owner (朱红), the centre's supervisors, then the superior
    // unit's — the province branch's service department (方敏).
    const told = await rows<{ recipient: string; body: string }>(
      t.database.db,
      sql`select recipient, body from notify_messages where template = 'workorder.escalated'
           and body like ${`%${o.number}%`} order by created_at`,
    );
    const phoneOf = async (username: string) =>
      (
        await rows<{ phone: string }>(
          t.database.db,
          sql`select phone from staff where username = ${username}`,
        )
      )[0]!.phone;
    const recipients = told.map((m) => m.recipient);
    expect(recipients).toContain(await phoneOf('qy_complaint'));
    expect(recipients).toContain(await phoneOf('cc_complaints'));
    expect(told.map((m) => m.body).join()).toMatch(/提醒首问责任人.*通知主管.*移交上级单位督办/s);
    expect(told.filter((m) => m.body.includes('移交上级单位督办')).map((m) => m.recipient)).toEqual([
      await phoneOf('yc_service'),
    ]);
  });
});

describe('the due-time table across instances', () => {
  it('a deadline fires once with two instances at once and a restart in between', async () => {
    cookies.qy_complaint = await t.login('qy_complaint'); // days have passed: sessions last 12 hours
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await newComplaint(`多实例${i}`));
    const due = Math.max(...orders.map((o) => new Date(o.responseDueAt!).getTime()));
    t.clock.advanceMinutes(Math.ceil((due - t.clock.now().getTime()) / 60_000) + 1);
    // Instance B fires one and stops (a restart); then A and a new instance C fire at once.
    const b = await openDatabase({ url: t.database.url });
    expect(await fireDue(b.db, t.clock, 1)).toBe(1);
    await b.close();
    const c = await openDatabase({ url: t.database.url });
    try {
      await Promise.all([fireDue(t.database.db, t.clock), fireDue(c.db, t.clock)]);
    } finally {
      await c.close();
    }
    const fired = await rows<{ order_id: string; n: number }>(
      t.database.db,
      sql`select order_id, count(*)::int as n from work_order_steps
           where step = 'response_overdue' and order_id in (${sql.join(
             orders.map((o) => sql`${o.id}`),
             sql`, `,
           )}) group by order_id`,
    );
    expect(fired.map((f) => f.n)).toEqual([1, 1, 1, 1]);
    expect(await dueCount(t.database.db, t.clock.now())).toBe(0);
  });
});

describe('files and links', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  it('attaches a photo (downloaded as it was); refuses a disguised program and a file too large', async () => {
    for (const who of ['qy_complaint', 'cc_agent1', 'cc_complaints', 'xk_manager'])
      cookies[who] = await t.login(who);
    const o = await newComplaint('附件');
    const url = `/api/work-orders/${o.id}/attachments`;
    const withFile = ok(
      await as('qy_complaint').post(url, {
        name: '账单截图.png',
        mime: 'image/png',
        dataBase64: PNG.toString('base64'),
      }),
    );
    const file = withFile.attachments[0]!;
    expect(file).toMatchObject({
      name: '账单截图.png',
      mime: 'image/png',
      size: PNG.length,
      addedBy: '朱红',
    });
    const got = await as('cc_agent1').get(`${url}/${file.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['content-disposition']).toMatch(/^attachment;/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(got.rawPayload, PNG)).toBe(0);
    expectProblem(await as('xk_manager').get(`${url}/${file.id}`), 404, 'not_found');
    const before = await counts();
    const exe = Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]).toString('base64');
    expectProblem(
      await as('qy_complaint').post(url, { name: 'photo.jpg', mime: 'image/jpeg', dataBase64: exe }),
      422,
      'attachment_forbidden_type',
    );
    const big = Buffer.alloc(5121 * 1024, 0x41).toString('base64');
    expectProblem(
      await as('qy_complaint').post(url, { name: 'big.txt', mime: 'text/plain', dataBase64: big }),
      422,
      'attachment_too_large',
    );
    expect(await counts()).toEqual(before);
  });

  it('links related orders once; a supervisor merges a duplicate, which is closed and counted once', async () => {
    const a = await newComplaint('原始投诉');
    const b = await newComplaint('重复投诉');
    const linked = ok(
      await as('qy_complaint').post(`/api/work-orders/${a.id}/links`, { otherId: b.id, kind: 'related' }),
    );
    expect(linked.links).toEqual([{ other: expect.objectContaining({ id: b.id }), kind: 'related' }]);
    expectProblem(
      await as('qy_complaint').post(`/api/work-orders/${b.id}/links`, { otherId: a.id, kind: 'related' }),
      409,
      'already_linked',
    );
    expectProblem(
      await as('qy_complaint').post(`/api/work-orders/${a.id}/links`, { otherId: a.id, kind: 'related' }),
      422,
      'link_invalid',
    );
    const c = await newComplaint('又一次重复');
    expectProblem(
      await as('cc_agent1').post(`/api/work-orders/${c.id}/links`, { otherId: a.id, kind: 'duplicate' }),
      403,
      'position',
    );
    const merged = ok(
      await as('cc_complaints').post(`/api/work-orders/${c.id}/links`, { otherId: a.id, kind: 'duplicate' }),
    );
    expect(merged.state).toBe('closed');
    expect(merged.mergedIntoId).toBe(a.id);
    expect(steps(merged)).toContain('merged');
    taken--; // a merged duplicate counts once, as the order it repeats
  });
});

describe('the report: indicator 1 and the time limits', () => {
  it('counts the service-quality complaints against the city’s halls over its halls, below 1', async () => {
    cookies.cc_complaints = await t.login('cc_complaints');
    const [city] = await rows<{ id: string }>(t.database.db, sql`select id from units where code = 'YC-QY'`);
    const url = `/api/work-orders/report?unitId=${city!.id}&from=2026-03-01&to=2026-03-31`;
    const r = ok<{
      complaintRate: { numerator: number; denominator: number; rate: number; met: boolean; target: number };
      halls: { name: string; complaints: number; met: boolean }[];
      byKind: { kind: string; taken: number; handled: number; openOverdue: number }[];
    }>(await as('cc_complaints').get(url));
    // Three halls in Qingyuan (Renmin Road, the 3G store, the cooperative hall); every complaint here is
    // a service-attitude one against Renmin Road.
    expect(r.complaintRate).toEqual({
      numerator: taken,
      denominator: 3,
      rate: taken / 3,
      target: 1,
      met: false,
    });
    expect(r.halls.find((h) => h.name === '青原人民路营业厅')).toEqual({
      unitId: units.hall,
      name: '青原人民路营业厅',
      complaints: taken,
      met: false,
    });
    expect(r.halls.filter((h) => h.complaints === 0)).toHaveLength(2);
    const complaints = r.byKind.find((k) => k.kind === 'complaint')!;
    const escalated = r.byKind.find((k) => k.kind === 'escalated_complaint');
    expect(complaints.taken + (escalated?.taken ?? 0)).toBe(taken);
    expect(complaints.handled).toBeGreaterThanOrEqual(0);
    // The same orders per top-level category, per unit below the city (by the unit each concerns), per kind.
    const full = ok<WorkOrderReport>(await as('cc_complaints').get(url));
    const sum = (xs: { taken: number }[]) => xs.reduce((n, x) => n + x.taken, 0);
    expect(sum(full.byCategory)).toBe(sum(full.byKind));
    expect(sum(full.byUnit)).toBe(sum(full.byKind));
    expect(full.byCategory.find((c) => c.zh === '服务质量')!.taken).toBeGreaterThanOrEqual(taken);
    expect(full.byUnit.find((u) => u.unitId === units.hall)).toMatchObject({ name: '青原人民路营业厅' });
    expect(full.byUnit.find((u) => u.unitId === units.hall)!.taken).toBeGreaterThanOrEqual(taken);
    // The backlog now: what the city's orders still hold, by the database's own count; bands add up.
    const [open] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from work_orders w join units u on u.id = ${city!.id}
           where w.state <> 'closed' and w.answered_at is null and w.replied_at is null
             and w.merged_into_id is null and exists (select 1 from unnest(w.paths) p where p like u.path || '%')`,
    );
    expect(full.backlog.open).toBe(open!.n);
    expect(full.backlog.open).toBeGreaterThan(0);
    expect(full.backlog.bands.reduce((n, b) => n + b.open, 0)).toBe(open!.n);
    expect(full.backlog.bands.map((b) => b.fromHours)).toEqual([0, 24, 72, 168]);
    const xlsx = await as('cc_complaints').get(url.replace('/report?', '/report/export?'));
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const labels = book.worksheets[0]!.getColumn(1).values.map(String);
    expect(labels).toEqual(
      expect.arrayContaining(['投诉 Complaint', '类别 服务质量 Service quality', '单位 青原人民路营业厅']),
    );
    expect(labels.filter((l) => l.startsWith('积压 '))).toHaveLength(4);
    // Not a reader of reports; another city's hall manager outside their subtree.
    cookies.qy_clerk = await t.login('qy_clerk');
    cookies.xk_manager = await t.login('xk_manager');
    expectProblem(await as('qy_clerk').get(url), 403, 'position');
    expectProblem(await as('xk_manager').get(url), 403, 'scope');
    expectProblem(await as('cc_complaints').get(url.replace('2026-03-31', '2026-02-01')), 400, 'validation');
  });
});
