/**
 * Deterministic demo data: a fictional province (云川省) with two cities, halls of every kind, a service
 * centre, staff in every position, and a few hundred customers. Names are realistic, places, phone
 * numbers (186-0000-xxxx), ID numbers (region 990xxx, which does not exist) and addresses are fictional.
 */
import { eq, sql } from 'drizzle-orm';
import { addMonths } from '../../core/business-catalogue.ts';
import { localDateOf } from '../../core/calendar.ts';
import { creditCodeCheck, residentIdCheck } from '../../core/id-documents.ts';
import type { IdDocKind } from '../../core/id-documents.ts';
import type { UnitKind } from '../../core/org.ts';
import type { Position } from '../../core/positions.ts';
import { seedWorkOrdersDemo } from '../workorders/demo.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import { schema } from '../../platform/db/index.ts';
import { appendEvent, command } from '../../platform/events.ts';
import { loadShippedCalendar } from '../calendar/service.ts';
import { createCustomer } from '../customers/service.ts';
import type { CreateCustomer } from '../customers/contract.ts';
import { createHeadquarters, createUnit, rootUnit } from '../org/service.ts';
import { seedQueueDemo } from '../queue/demo.ts';
import { insertAccount } from '../staff/service.ts';

export const DEMO_PASSWORD = 'Fuwu@2026';
/** The service password (服务密码) of most demo mobile subscriptions (README's demo section). */
export const DEMO_SERVICE_PASSWORD = '246810';
/** The initial (never changed) service password of the others: it does not identify a customer. */
export const DEMO_INITIAL_SERVICE_PASSWORD = '000000';
export const DEMO_LOGIN = { username: 'admin', password: DEMO_PASSWORD, role: '云川省分公司 系统管理员' };

/** A small deterministic random generator (mulberry32), so every seed gives the same data. */
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

interface UnitSpec {
  key: string;
  parent: string | null;
  kind: UnitKind;
  code: string;
  name: string;
  nameEn: string;
  address?: string;
  attributes?: Record<string, string | number | boolean>;
}

export const DEMO_UNITS: UnitSpec[] = [
  { key: 'hq', parent: null, kind: 'hq', code: 'HQ', name: '总部', nameEn: 'Headquarters' },
  {
    key: 'hqCentre',
    parent: 'hq',
    kind: 'centre_hq',
    code: 'HQ-CC',
    name: '总部客服中心',
    nameEn: 'HQ service centre',
  },
  {
    key: 'echannel',
    parent: 'hq',
    kind: 'echannel',
    code: 'HQ-EC',
    name: '网上营业厅',
    nameEn: 'Online hall',
  },
  {
    key: 'province',
    parent: 'hq',
    kind: 'province',
    code: 'YC',
    name: '云川省分公司',
    nameEn: 'Yunchuan province',
    attributes: { centralisedSeats: true },
  },
  {
    key: 'provCentre',
    parent: 'province',
    kind: 'centre_province',
    code: 'YC-CC',
    name: '云川省客服中心',
    nameEn: 'Yunchuan service centre',
    address: '云川省青原市示范大道1号',
  },
  {
    key: 'club',
    parent: 'province',
    kind: 'club',
    code: 'YC-CLUB',
    name: '云川世界风俱乐部',
    nameEn: 'Yunchuan club',
  },
  {
    key: 'accounts',
    parent: 'province',
    kind: 'account_team',
    code: 'YC-AM',
    name: '云川集团客户经理团队',
    nameEn: 'Yunchuan account managers',
  },
  {
    key: 'qy',
    parent: 'province',
    kind: 'city',
    code: 'YC-QY',
    name: '青原市分公司',
    nameEn: 'Qingyuan city',
  },
  { key: 'xk', parent: 'province', kind: 'city', code: 'YC-XK', name: '溪口市分公司', nameEn: 'Xikou city' },
  {
    key: 'qyHall',
    parent: 'qy',
    kind: 'hall_own',
    code: 'YC-QY-H01',
    name: '青原人民路营业厅',
    nameEn: 'Qingyuan Renmin Road hall',
    address: '云川省青原市人民路100号',
  },
  {
    key: 'qy3g',
    parent: 'qy',
    kind: 'store_3g',
    code: 'YC-QY-G01',
    name: '青原3G旗舰店',
    nameEn: 'Qingyuan 3G flagship store',
    address: '云川省青原市新华街8号',
  },
  {
    key: 'qyCoop',
    parent: 'qy',
    kind: 'hall_coop',
    code: 'YC-QY-C01',
    name: '青原滨江合作营业厅',
    nameEn: 'Qingyuan Binjiang cooperative hall',
    address: '云川省青原市滨江路66号',
  },
  {
    key: 'qySeats',
    parent: 'qy',
    kind: 'remote_seats',
    code: 'YC-QY-RS',
    name: '青原远端座席',
    nameEn: 'Qingyuan remote seats',
  },
  {
    key: 'qyNet',
    parent: 'qy',
    kind: 'department',
    code: 'YC-QY-NET',
    name: '青原网络维护部',
    nameEn: 'Qingyuan network maintenance',
  },
  {
    key: 'xkHall',
    parent: 'xk',
    kind: 'hall_own',
    code: 'YC-XK-H01',
    name: '溪口中心营业厅',
    nameEn: 'Xikou central hall',
    address: '云川省溪口市中山路20号',
  },
  {
    key: 'xkSelf',
    parent: 'xk',
    kind: 'store_self',
    code: 'YC-XK-S01',
    name: '溪口自助服务店',
    nameEn: 'Xikou self-service store',
    address: '云川省溪口市东门街3号',
  },
];

/** Staff of the demo: [unit key, user name, name, positions]. Every position of SPEC §1 is held somewhere. */
export const DEMO_STAFF: [string, string, string, Position[]][] = [
  ['hq', 'hqadmin', '周建国', ['system_admin']],
  ['province', 'admin', '林晓燕', ['system_admin']],
  ['province', 'yc_stats', '何志明', ['statistician']],
  // The province's service department supervises complaints escalated past the centre (superior unit).
  ['province', 'yc_service', '方敏', ['complaint_handler']],
  ['qy', 'qyadmin', '陈立新', ['system_admin']],
  ['qyHall', 'qy_manager', '王丽华', ['hall_manager']],
  ['qyHall', 'qy_duty', '刘海涛', ['duty_manager']],
  ['qyHall', 'qy_trainer', '赵敏', ['trainer']],
  ['qyHall', 'qy_stock', '孙强', ['stock_keeper']],
  ['qyHall', 'qy_audit', '吴静', ['auditor']],
  ['qyHall', 'qy_repair_contact', '郑伟', ['equipment_contact']],
  ['qyHall', 'qy_clerk', '张悦', ['acceptance']],
  ['qyHall', 'qy_clerk2', '李娜', ['acceptance', 'retention']],
  ['qyHall', 'qy_sales', '黄磊', ['sales']],
  ['qyHall', 'qy_consult', '徐丹', ['consultation']],
  ['qyHall', 'qy_guide', '马琳', ['floor_guide']],
  ['qyHall', 'qy_complaint', '朱红', ['complaint_reception']],
  ['qyHall', 'qy_aftersales', '胡斌', ['repair']],
  ['qyHall', 'qy_vip', '郭雪', ['vip_reception']],
  ['qyHall', 'qy_group', '罗建', ['group_reception']],
  ['qy3g', 'g3_manager', '高峰', ['hall_manager', 'duty_manager']],
  ['qy3g', 'g3_reception', '谢婷', ['reception_3g']],
  ['qy3g', 'g3_vip', '宋佳', ['vip_reception']],
  ['qyCoop', 'coop_manager', '韩梅', ['hall_manager']],
  ['qyCoop', 'coop_clerk', '唐亮', ['acceptance', 'sales']],
  ['qySeats', 'qy_agent', '冯雨', ['agent']],
  ['xkHall', 'xk_manager', '邓刚', ['hall_manager']],
  ['xkHall', 'xk_duty', '曹颖', ['duty_manager']],
  ['xkHall', 'xk_clerk', '彭程', ['acceptance']],
  ['xkSelf', 'xk_self_guide', '曾可', ['floor_guide']],
  ['provCentre', 'cc_agent1', '萧然', ['agent']],
  ['provCentre', 'cc_agent2', '田甜', ['agent']],
  ['provCentre', 'cc_quality', '董洁', ['quality_monitor']],
  ['provCentre', 'cc_traffic', '袁野', ['traffic_manager']],
  ['provCentre', 'cc_editor', '潘晨', ['info_editor']],
  ['provCentre', 'cc_complaints', '蒋勇', ['complaint_handler']],
  ['provCentre', 'cc_demand', '蔡琪', ['demand_manager']],
  ['accounts', 'am_leader', '余光', ['group_reception']],
  ['qyNet', 'qy_net', '范磊', ['complaint_handler']],
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程';
const GIVEN = '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰飞鹏辉红建文晨阳欣怡子涵浩宇俊';
const STREETS = [
  '人民路',
  '解放路',
  '新华街',
  '滨江路',
  '中山路',
  '建设路',
  '东门街',
  '示范大道',
  '青年路',
  '文化巷',
];
const PLANS = ['沃3G 96元套餐', '沃3G 126元套餐', '世界风 66元套餐', '如意通 19元套餐', '畅听 46元套餐'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

function residentId(rnd: () => number, i: number): string {
  const year = 1950 + Math.floor(rnd() * 55);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  const body = `99010${i % 10}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(100 + (i % 900)).padStart(3, '0')}`;
  return body + residentIdCheck(body);
}

function creditCode(i: number): string {
  const body = `91990100MA${String(1000000 + i).slice(-7)}`;
  return body + creditCodeCheck(body)!;
}

/** The demo customers: individuals, families and groups of every club tier, some 3G. */
export function demoCustomers(count: number, unitIds: Record<string, string>): CreateCustomer[] {
  const rnd = random(20090201);
  const halls = ['qyHall', 'qy3g', 'qyCoop', 'xkHall', 'xkSelf'];
  const out: CreateCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    const kind: CreateCustomer['kind'] = r < 0.06 ? 'group' : r < 0.16 ? 'family' : 'individual';
    const t = rnd();
    const clubTier: CreateCustomer['clubTier'] =
      t < 0.04 ? 'diamond' : t < 0.12 ? 'gold' : t < 0.27 ? 'silver' : 'ordinary';
    const hall = pick(rnd, halls);
    const city = hall.startsWith('qy') ? '青原市' : '溪口市';
    const phone = `1860000${String(1000 + i).padStart(4, '0')}`;
    const person =
      pick(rnd, [...SURNAMES]) + pick(rnd, [...GIVEN]) + (rnd() < 0.6 ? pick(rnd, [...GIVEN]) : '');
    const name =
      kind === 'group'
        ? `${city.slice(0, 2)}示例${pick(rnd, ['科技', '物流', '商贸', '建设', '医药'])}有限公司${i}`
        : kind === 'family'
          ? `${person}家庭`
          : person;
    const idDocKind: IdDocKind = kind === 'group' ? 'business_licence' : 'resident_id';
    const subs: CreateCustomer['subscriptions'] = [
      {
        kind: 'mobile',
        number: phone,
        plan: pick(rnd, PLANS),
        status: 'active',
        since: `20${String(5 + Math.floor(rnd() * 4)).padStart(2, '0')}-0${1 + Math.floor(rnd() * 9)}-15`,
      },
    ];
    if (rnd() < 0.3 || kind !== 'individual') {
      subs.push({
        kind: 'broadband',
        number: `KD0990${String(10000 + i)}`,
        plan: '宽带 4M 包年',
        status: 'active',
        since: '2008-06-01',
      });
    }
    if (kind === 'group')
      subs.push({
        kind: 'fixed',
        number: `0990-8800${String(1000 + i).slice(-4)}`,
        plan: '商务固话',
        status: 'active',
        since: '2007-03-01',
      });
    out.push({
      unitId: unitIds[hall]!,
      kind,
      name,
      idDocKind,
      idDocNumber: kind === 'group' ? creditCode(i) : residentId(rnd, i),
      contactPhone: phone,
      address: `云川省${city}${pick(rnd, STREETS)}${1 + Math.floor(rnd() * 300)}号`,
      clubTier,
      is3g: rnd() < 0.25,
      subscriptions: subs,
    });
  }
  return out;
}

/**
 * The demo installation: units, staff, customers, queue settings and (unless `workOrders` is false, as in
 * tests that count their own) a handful of work orders in each state. False when the database was not empty.
 */
export async function seedDemo(
  db: Db,
  clock: Clock,
  options: { customers?: number; workOrders?: boolean } = {},
): Promise<boolean> {
  if (await rootUnit(db)) return false;
  await loadShippedCalendar(db);
  const now = clock.now();
  const { root: hq, ctx } = await createHeadquarters(db, clock, 'demo seed');
  const hqId = hq.id;
  const hqPath = hq.path;
  const ids: Record<string, string> = { hq: hqId };
  for (const u of DEMO_UNITS.slice(1)) {
    const unit = await createUnit(ctx, {
      parentId: ids[u.parent!]!,
      kind: u.kind,
      code: u.code,
      name: u.name,
      nameEn: u.nameEn,
      address: u.address ?? '',
      timeZone: 'Asia/Shanghai',
      attributes: u.attributes ?? {},
    });
    ids[u.key] = unit.id;
  }
  const hash = await hashPassword(DEMO_PASSWORD);
  await command(ctx, async (tx) => {
    for (const [key, username, name, positions] of DEMO_STAFF) {
      const [unit] = await tx.select().from(schema.units).where(eq(schema.units.id, ids[key]!));
      const phone = `1860001${String(DEMO_STAFF.findIndex((s) => s[1] === username)).padStart(4, '0')}`;
      // Demo accounts share the printed demo password and need not change it; real accounts must.
      await insertAccount(
        tx,
        unit!,
        { username, name, phone, positions, passwordHash: hash, mustChangePassword: false },
        now,
      );
    }
    await appendEvent(tx, ctx, {
      action: 'demo.staff_seeded',
      unit: { id: hqId, path: hqPath, provinceId: hqId },
      subjectType: 'demo',
      subjectId: 'staff',
      after: { accounts: DEMO_STAFF.length },
    });
  });
  for (const c of demoCustomers(options.customers ?? 300, ids)) await createCustomer(ctx, c);
  await demoServicePasswords(db, now);
  await seedQueueDemo(ctx, ids);
  if (options.workOrders !== false) await seedWorkOrdersDemo(db, clock, ids);
  return true;
}

/**
 * Counter business needs more than the customers module registers: each demo mobile subscription gets an
 * ICCID and a service password — `set` to `DEMO_SERVICE_PASSWORD` for numbers ending 0–3, 5–8, `initial`
 * (`DEMO_INITIAL_SERVICE_PASSWORD`) for those ending 4 or 9; numbers ending 3 are in a contract period for a
 * year, those ending 7 in a subsidy period for six months (the stricter check applies).
 */
async function demoServicePasswords(db: Db, now: Date): Promise<void> {
  const today = localDateOf(now, 'Asia/Shanghai');
  const [set, initial] = await Promise.all([
    hashPassword(DEMO_SERVICE_PASSWORD),
    hashPassword(DEMO_INITIAL_SERVICE_PASSWORD),
  ]);
  await db.execute(sql`
    update subscriptions set
      iccid = '898601' || lpad(regexp_replace(number, '\D', '', 'g'), 14, '0'),
      service_password_hash = case when right(number, 1) in ('4', '9') then ${initial} else ${set} end,
      service_password_state = case when right(number, 1) in ('4', '9') then 'initial' else 'set' end,
      contract_until = case when right(number, 1) = '3' then ${addMonths(today, 12)}::date end,
      subsidy_until = case when right(number, 1) = '7' then ${addMonths(today, 6)}::date end
    where kind = 'mobile'`);
}
