import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addMonths,
  BUILTIN_CATALOGUE,
  businessType,
  copyCatalogue,
  effectChanges,
  feeOf,
  fieldsSchema,
  luhnValid,
  searchCatalogue,
  subscriptionProblem,
  validateCatalogue,
} from './business-catalogue.ts';
import type { BusinessType, Catalogue } from './business-catalogue.ts';

const type = (code: string): BusinessType => {
  const t = businessType(BUILTIN_CATALOGUE, code);
  if (!t) throw new Error(`no ${code}`);
  return t;
};
const copy = (): Catalogue => structuredClone(BUILTIN_CATALOGUE);
const problemPaths = (c: unknown) => validateCatalogue(c).map((p) => p.path);

describe('the built-in catalogue (2§2.1)', () => {
  it('is valid, with unique codes', () => {
    expect(validateCatalogue(BUILTIN_CATALOGUE)).toEqual([]);
    const codes = BUILTIN_CATALOGUE.types.map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('holds every business type the norms list', () => {
    const codes = new Set(BUILTIN_CATALOGUE.types.map((t) => t.code));
    for (const code of [
      'mobile_open',
      'service_password',
      'transfer',
      'sim_replace',
      'feature_change',
      'plan_change',
      'value_added_change',
      'customer_info_change',
      'payment_method',
      'bill_payment',
      'top_up',
      'balance_refund',
      'bill_query',
      'unlock',
      'receipt_reprint',
      'international',
      'deposit_refund',
      'suspend',
      'reactivate',
      'report_loss',
      'cancel',
      'fixed_open',
      'broadband_open',
      'leased_line',
      'vpdn',
      'mailbox',
      'group_product',
      'terminal_sale',
      'card_sale',
      'consultation',
      'account_query',
      'public_query',
    ])
      expect(codes.has(code), code).toBe(true);
  });

  it('says who may do what and how they are identified, as the norms ask', () => {
    for (const t of BUILTIN_CATALOGUE.types) {
      if (t.opensAccount) expect(t.identity, t.code).toBe('id_document');
      if (t.light) expect(t.fee, t.code).toEqual({ kind: 'fixed', fen: 0 });
    }
    expect(type('cancel')).toMatchObject({
      retentionFirst: true,
      strictUnderContract: true,
      identity: 'id_document',
    });
    expect(type('transfer').strictUnderContract).toBe(true);
    expect(type('plan_change').strictUnderContract).toBe(true);
    expect(type('top_up').strictUnderContract).toBe(false);
    expect(type('leased_line').customerKinds).toEqual(['group']);
    expect(type('consultation')).toMatchObject({ light: true, identity: 'none' });
    expect(BUILTIN_CATALOGUE.types.filter((t) => t.retentionFirst).map((t) => t.code)).toEqual(['cancel']);
  });

  it('carries pinyin initials that match the names, one letter a Chinese character', () => {
    // Spot checks against initials written by hand.
    expect(type('mobile_open').pinyin).toBe('XKHRW'); // 新开户入网
    expect(type('cancel').pinyin).toBe('XH'); // 销号
    expect(type('sim_replace').pinyin).toBe('BHK'); // 补换卡
    expect(type('vpdn').pinyin).toBe('VPDNYW'); // VPDN业务
    expect(type('report_loss').pinyin).toBe('GS'); // 挂失
  });
});

describe('validateCatalogue: a province’s edit', () => {
  it('starts from a copy that records its base and does not touch the original', () => {
    const c = copyCatalogue(BUILTIN_CATALOGUE, 'gd-2026.1');
    expect(c).toMatchObject({ versionId: 'gd-2026.1', basedOn: BUILTIN_CATALOGUE.versionId });
    c.types[0]!.zh = '改名';
    expect(BUILTIN_CATALOGUE.types[0]!.zh).toBe('新开户入网');
    expect(validateCatalogue(c).map((p) => p.path)).toEqual(['types[0].pinyin']);
    // A malformed catalogue is answered with its shape problems only.
    expect(validateCatalogue({ ...c, versionId: 'no spaces allowed' }).map((p) => p.path)).toEqual([
      'versionId',
    ]);
  });

  it('refuses what is not a catalogue, with a path and both languages', () => {
    const problems = validateCatalogue({ versionId: 'x', types: [] });
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.zh).toMatch(/\p{Script=Han}/u);
      expect(p.en).toMatch(/[a-z]/);
    }
    expect(validateCatalogue(null).length).toBeGreaterThan(0);
  });

  it('refuses a code twice', () => {
    const c = copy();
    c.types.push({ ...c.types[0]! });
    const p = validateCatalogue(c);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ path: `types[${c.types.length - 1}].code` });
    expect(p[0]!.en).toContain('repeats entry 1');
  });

  it('refuses a field twice, a range the wrong way round, an enum option twice, a bad pattern', () => {
    const c = copy();
    const t = c.types.find((x) => x.code === 'top_up')!;
    t.fields.push({ ...t.fields[0]! });
    const i = c.types.indexOf(t);
    expect(problemPaths(c)).toEqual([`types[${i}].fields[1].key`]);

    const c2 = copy();
    const t2 = c2.types.find((x) => x.code === 'bill_payment')!;
    t2.fields[0] = {
      key: 'amountFen',
      zh: '金额',
      en: 'Amount',
      required: true,
      kind: 'money_fen',
      min: 10,
      max: 1,
    };
    expect(problemPaths(c2)).toEqual([`types[${c2.types.indexOf(t2)}].fields[0]`]);

    const c3 = copy();
    const t3 = c3.types.find((x) => x.code === 'suspend')!;
    const reason = t3.fields[0]!;
    if (reason.kind !== 'enum') throw new Error('enum expected');
    reason.options.push({ ...reason.options[0]! });
    expect(problemPaths(c3)).toEqual([`types[${c3.types.indexOf(t3)}].fields[0].options`]);

    const c4 = copy();
    const t4 = c4.types.find((x) => x.code === 'mailbox')!;
    t4.fields[0] = {
      key: 'mailbox',
      zh: '邮箱',
      en: 'Mailbox',
      required: true,
      kind: 'text',
      maxLength: 20,
      pattern: '([',
    };
    expect(problemPaths(c4)).toEqual([`types[${c4.types.indexOf(t4)}].fields[0].pattern`]);
  });

  it('refuses a fee or an effect naming a missing field or one of the wrong kind', () => {
    const c = copy();
    const t = c.types.find((x) => x.code === 'top_up')!;
    t.fee = { kind: 'field', field: 'nope', sign: 1 };
    const i = c.types.indexOf(t);
    expect(problemPaths(c)).toEqual([`types[${i}].fee.field`]);

    const c2 = copy();
    const t2 = c2.types.find((x) => x.code === 'sim_replace')!;
    t2.effects = [{ kind: 'sim_change', iccidField: 'reason' }];
    const p = validateCatalogue(c2);
    expect(p.map((x) => x.path)).toEqual([`types[${c2.types.indexOf(t2)}].effects[0].iccidField`]);
    expect(p[0]!.en).toContain('of kind enum cannot be used here');
  });

  it('keeps the norms: a new account by ID document, retention before cancellation only', () => {
    const c = copy();
    const open = c.types.find((x) => x.code === 'mobile_open')!;
    open.identity = 'either';
    const cancel = c.types.find((x) => x.code === 'cancel')!;
    cancel.retentionFirst = false;
    const top = c.types.find((x) => x.code === 'top_up')!;
    top.retentionFirst = true;
    expect(problemPaths(c)).toEqual([
      `types[${c.types.indexOf(open)}].identity`,
      `types[${c.types.indexOf(top)}].retentionFirst`,
      `types[${c.types.indexOf(cancel)}].retentionFirst`,
    ]);
  });

  it('refuses a status change on no subscription, a light type with a fee, initials of the wrong length', () => {
    const c = copy();
    const s = c.types.find((x) => x.code === 'reactivate')!;
    s.appliesTo = null;
    const q = c.types.find((x) => x.code === 'consultation')!;
    q.fee = { kind: 'fixed', fen: 100 };
    const x = c.types.find((x) => x.code === 'transfer')!;
    x.pinyin = 'GHX';
    expect(problemPaths(c)).toEqual([
      `types[${c.types.indexOf(x)}].pinyin`,
      `types[${c.types.indexOf(s)}].effects[0]`,
      `types[${c.types.indexOf(q)}].light`,
    ]);
  });
});

describe('fieldsSchema: the form of a business type', () => {
  it('accepts what a clerk types, normalised, and refuses unknown keys in both languages', () => {
    const s = fieldsSchema(type('mobile_open'));
    expect(
      s.parse({ number: '１８６ ００００ １２３４', plan: 'WO-4G-76', iccid: '8986 0112 3456 7890 1234' }),
    ).toEqual({ number: '18600001234', plan: 'WO-4G-76', iccid: '89860112345678901234' });
    const bad = s.safeParse({ number: '186', plan: 'x', iccid: '1234', prepaidFen: 12.5, extra: 1 });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message);
    expect(messages).toHaveLength(5);
    for (const m of messages) expect(m).toMatch(/\p{Script=Han}.* ¦ .*[a-z]/u);
  });

  it('requires required fields and lets optional ones out', () => {
    const s = fieldsSchema(type('suspend'));
    expect(s.safeParse({ reason: 'voluntary' }).success).toBe(true);
    expect(s.safeParse({}).success).toBe(false);
    expect(s.safeParse({ reason: 'holiday' }).success).toBe(false);
    expect(s.safeParse({ reason: 'travel', until: '2026-02-30' }).success).toBe(false);
    expect(s.safeParse({ reason: 'travel', until: '2026-02-28' }).success).toBe(true);
  });

  it('checks an IMEI by its Luhn digit', () => {
    const s = fieldsSchema(type('terminal_sale'));
    expect(s.safeParse({ model: 'X1', imei: '490154203237518', priceFen: 199900 }).success).toBe(true);
    expect(s.safeParse({ model: 'X1', imei: '490154203237519', priceFen: 199900 }).success).toBe(false);
    expect(s.safeParse({ model: 'X1', imei: '490154203237518', priceFen: 0 }).success).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('money is whole fen within range, for any value fast-check finds', () => {
    const s = fieldsSchema(type('top_up'));
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (v) => {
        const ok = s.safeParse({ amountFen: v }).success;
        expect(ok).toBe(Number.isInteger(v) && v >= 1 && v <= 10_000_000);
      }),
    );
  });
});

describe('fees and effects', () => {
  it('computes the fee: fixed, from a field, paid out negative', () => {
    expect(feeOf(type('sim_replace'), { iccid: '8986', reason: 'lost' })).toBe(1000);
    expect(feeOf(type('top_up'), { amountFen: 5000 })).toBe(5000);
    expect(feeOf(type('deposit_refund'), { depositFen: 20000 })).toBe(-20000);
    expect(feeOf(type('mobile_open'), {})).toBe(0);
    expect(feeOf(type('consultation'), { topic: 'tariffs' })).toBe(0);
  });

  it('describes the changes to subscriptions', () => {
    expect(
      effectChanges(
        type('mobile_open'),
        { number: '18600001234', plan: 'P1', iccid: '8986' },
        '2026-03-02',
        null,
      ),
    ).toEqual([{ op: 'create', kind: 'mobile', number: '18600001234', plan: 'P1', iccid: '8986' }]);
    expect(
      effectChanges(type('cancel'), { reason: 'price' }, '2026-03-02', {
        kind: 'mobile',
        status: 'suspended',
      }),
    ).toEqual([{ op: 'set_status', from: 'suspended', to: 'cancelled' }]);
    expect(
      effectChanges(type('international'), { service: 'both', depositFen: 50000 }, '2026-03-02', null),
    ).toEqual([{ op: 'deposit', deltaFen: 50000 }]);
    expect(effectChanges(type('deposit_refund'), { depositFen: 50000 }, '2026-03-02', null)).toEqual([
      { op: 'deposit', deltaFen: -50000 },
    ]);
    expect(
      effectChanges(
        type('contract_handset'),
        { model: 'X', imei: '4', priceFen: 0, months: 'm24' },
        '2026-01-31',
        null,
      ),
    ).toEqual([{ op: 'contract', until: '2028-01-31' }]);
    expect(
      effectChanges(type('sim_replace'), { iccid: '8986X', reason: 'lost' }, '2026-03-02', null),
    ).toEqual([{ op: 'set_sim', iccid: '8986X' }]);
  });

  it('adds months to the last day of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-02', 12)).toBe('2027-03-02');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('says when a business cannot act on a subscription', () => {
    expect(subscriptionProblem(type('reactivate'), { kind: 'mobile', status: 'active' })?.en).toBe(
      'Reactivation cannot be done on a subscription that is active',
    );
    expect(subscriptionProblem(type('reactivate'), { kind: 'mobile', status: 'suspended' })).toBeNull();
    expect(subscriptionProblem(type('plan_change'), null)?.zh).toBe('套餐变更须选择办理的号码');
    expect(
      subscriptionProblem(type('broadband_change'), { kind: 'mobile', status: 'active' }),
    ).not.toBeNull();
    expect(subscriptionProblem(type('mobile_open'), null)).toBeNull();
  });
});

describe('search by name and pinyin initials', () => {
  it('finds by initials first, then by name, code and English', () => {
    expect(searchCatalogue(BUILTIN_CATALOGUE, 'xh')[0]!.code).toBe('cancel');
    expect(searchCatalogue(BUILTIN_CATALOGUE, 'ＸＨ')[0]!.code).toBe('cancel');
    expect(searchCatalogue(BUILTIN_CATALOGUE, 'tc')[0]!.code).toBe('plan_change');
    expect(searchCatalogue(BUILTIN_CATALOGUE, '销号').map((t) => t.code)).toEqual(['cancel']);
    expect(searchCatalogue(BUILTIN_CATALOGUE, 'roaming').map((t) => t.code)).toEqual(['international']);
    expect(searchCatalogue(BUILTIN_CATALOGUE, '')).toHaveLength(BUILTIN_CATALOGUE.types.length);
    expect(searchCatalogue(BUILTIN_CATALOGUE, 'vpdn', 'individual')).toEqual([]);
    expect(searchCatalogue(BUILTIN_CATALOGUE, 'vpdn', 'group').map((t) => t.code)).toEqual(['vpdn']);
  });
});
