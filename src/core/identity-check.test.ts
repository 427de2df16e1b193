import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUILTIN_CATALOGUE, businessType } from './business-catalogue.ts';
import type { BusinessType, CustomerKind } from './business-catalogue.ts';
import { identityDecision } from './identity-check.ts';
import type { IdentityInput, PasswordCheck, ShownDocument } from './identity-check.ts';
import { ID_DOC_KIND_CODES } from './id-documents.ts';
import type { IdDocKind, PersonOrigin } from './id-documents.ts';

const TODAY = '2026-03-02';
const type = (code: string): BusinessType => {
  const t = businessType(BUILTIN_CATALOGUE, code);
  if (!t) throw new Error(code);
  return t;
};

// ---------------------------------------------------------------------------------------------------------
// The norms, 2§2.2.1, written out again for the test (not read from id-documents.ts):
// 国内居民：身份证、临时身份证、带有身份证号码的护照、带有照片的户口簿、盖有户口专用章的户籍证明；
// 台湾同胞：台胞证或护照；港、澳居民：身份证、回乡证、港澳通行证、护照；军官、警官、志愿兵、士兵：士兵证、
// 驻港部队证等；外籍人士：护照。集团客户：营业执照。
const NORM_PAPERS: Record<PersonOrigin, IdDocKind[]> = {
  mainland: [
    'resident_id',
    'temporary_id',
    'passport_with_id',
    'household_register',
    'household_certificate',
  ],
  taiwan: ['taiwan_permit', 'passport'],
  hk_macao: ['hk_macao_id', 'home_return_permit', 'hk_macao_pass', 'passport'],
  military: ['soldier_id', 'garrison_id', 'police_id'],
  foreign: ['passport'],
};
const papersOf = (kind: CustomerKind, origin: PersonOrigin | undefined): IdDocKind[] =>
  kind === 'group'
    ? ['business_licence']
    : origin === undefined
      ? ID_DOC_KIND_CODES.filter((k) => k !== 'business_licence')
      : NORM_PAPERS[origin];

/** Documents that always have an end of validity: the clerk must enter it. */
const DATED: IdDocKind[] = [
  'temporary_id',
  'passport_with_id',
  'passport',
  'taiwan_permit',
  'home_return_permit',
  'hk_macao_pass',
];

const GOOD_NUMBER: Record<IdDocKind, string> = {
  resident_id: '11010519491231002X',
  temporary_id: '11010519491231002X',
  passport_with_id: '11010519491231002X',
  household_register: '11010519491231002X',
  household_certificate: '11010519491231002X',
  taiwan_permit: '12345678',
  hk_macao_id: 'A123456(7)',
  home_return_permit: 'H12345678',
  hk_macao_pass: 'C01234567',
  soldier_id: '陆字第123456号',
  garrison_id: 'GAR123456',
  police_id: 'JG123456',
  passport: 'E12345678',
  business_licence: '91350100M000100Y43',
};
const BAD_NUMBER: Record<IdDocKind, string> = {
  ...Object.fromEntries(Object.keys(GOOD_NUMBER).map((k) => [k, 'ZZ'])),
  resident_id: '110105194912310021',
  temporary_id: '110105194912310021',
  business_licence: '91350100M000100Y44',
} as Record<IdDocKind, string>;

type Variant = 'valid' | 'expired' | 'bad_number';
function documentOf(kind: IdDocKind, variant: Variant): ShownDocument {
  if (variant === 'bad_number') return { kind, number: BAD_NUMBER[kind], expiresOn: '2030-01-01' };
  if (variant === 'expired') return { kind, number: GOOD_NUMBER[kind], expiresOn: '2026-03-01' };
  return DATED.includes(kind)
    ? { kind, number: GOOD_NUMBER[kind], expiresOn: '2030-01-01' }
    : { kind, number: GOOD_NUMBER[kind] };
}

interface Cell {
  customerKind: CustomerKind;
  origin: PersonOrigin | undefined;
  doc: { kind: IdDocKind; variant: Variant } | null;
  type: BusinessType;
  password: PasswordCheck | null;
  contract: boolean;
  inPerson: boolean;
}

/** The expectation, read from the norm: who may do it, then a valid paper or a real password, then the stricter check. */
function normSays(c: Cell): { allowed: boolean; copy: boolean } {
  const copy = c.type.opensAccount; // 新入网用户……并留存有效身份证件复印件
  if (!c.type.customerKinds.includes(c.customerKind)) return { allowed: false, copy };
  const validPaper =
    c.doc !== null && c.doc.variant === 'valid' && papersOf(c.customerKind, c.origin).includes(c.doc.kind);
  const realPassword = c.password !== null && c.password.state === 'set' && c.password.verified; // 初始密码除外
  // 对享受入网补贴、处于协议期内的用户，办理退网、过户、业务变更等业务时要严格审查。
  const strict = c.type.strictUnderContract && c.contract;
  if (strict) return { allowed: validPaper && c.inPerson, copy };
  // 新入网用户必须持有效身份证件
  if (c.type.opensAccount) return { allowed: validPaper, copy };
  // 均需持有效证件或密码方可办理
  switch (c.type.identity) {
    case 'id_document':
      return { allowed: validPaper, copy };
    case 'password':
      return { allowed: realPassword, copy };
    case 'either':
      return { allowed: validPaper || realPassword, copy };
    case 'none':
      return { allowed: true, copy };
  }
}

const PASSWORDS: (PasswordCheck | null)[] = [
  null,
  { state: 'initial', verified: true },
  { state: 'initial', verified: false },
  { state: 'set', verified: true },
  { state: 'set', verified: false },
];

/** A province's type asking for the password alone, so that check is covered too. */
const PASSWORD_ONLY: BusinessType = { ...type('unlock'), code: 'pw_only', identity: 'password' };

/**
 * The business types grouped by what the identity rule reads of them (customer kinds, check, new account, stricter
 * under contract): one representative of each group is enough, and every type is in one.
 */
const signature = (t: BusinessType) =>
  JSON.stringify([t.customerKinds, t.identity, t.opensAccount, t.strictUnderContract]);
const TYPE_GROUPS = new Map<string, BusinessType>();
for (const t of [...BUILTIN_CATALOGUE.types, PASSWORD_ONLY])
  if (!TYPE_GROUPS.has(signature(t))) TYPE_GROUPS.set(signature(t), t);

function* cells(): Generator<Cell> {
  const profiles: [CustomerKind, PersonOrigin | undefined][] = [['group', undefined]];
  for (const kind of ['individual', 'family'] as const)
    for (const origin of [undefined, 'mainland', 'taiwan', 'hk_macao', 'military', 'foreign'] as const)
      profiles.push([kind, origin]);
  const docs: Cell['doc'][] = [null];
  for (const kind of ID_DOC_KIND_CODES)
    for (const variant of ['valid', 'expired', 'bad_number'] as const) docs.push({ kind, variant });
  for (const [customerKind, origin] of profiles)
    for (const doc of docs)
      for (const t of TYPE_GROUPS.values())
        for (const password of PASSWORDS)
          for (const contract of [false, true])
            for (const inPerson of [false, true])
              yield { customerKind, origin, doc, type: t, password, contract, inPerson };
}

function inputOf(c: Cell): IdentityInput {
  return {
    customerKind: c.customerKind,
    ...(c.origin ? { origin: c.origin } : {}),
    businessType: c.type,
    ...(c.doc ? { document: documentOf(c.doc.kind, c.doc.variant) } : {}),
    ...(c.password ? { password: c.password } : {}),
    subscription: c.contract ? { contractUntil: '2027-01-31', subsidyUntil: null } : {},
    ownerInPerson: c.inPerson,
    today: TODAY,
  };
}

describe('identity rule: every customer kind × origin × document × business type × password × contract', () => {
  it('decides every cell as the norm reads, and explains every refusal in both languages', () => {
    let tried = 0;
    const wrong: string[] = [];
    for (const c of cells()) {
      tried++;
      const d = identityDecision(inputOf(c));
      const want = normSays(c);
      const label = () =>
        `${c.customerKind}/${c.origin ?? '?'} ${c.doc ? `${c.doc.kind}:${c.doc.variant}` : 'no doc'} ${c.type.code} pw=${c.password ? `${c.password.state}/${c.password.verified}` : 'none'} contract=${c.contract} inPerson=${c.inPerson}`;
      if (d.allowed !== want.allowed) wrong.push(`${label()}: allowed ${d.allowed}, norm ${want.allowed}`);
      else if (d.copyRequired !== want.copy) wrong.push(`${label()}: copyRequired ${d.copyRequired}`);
      else if (!d.allowed) {
        if (d.reasons.length === 0 || d.missing.length === 0)
          wrong.push(`${label()}: refused without a reason`);
        if (!/\p{Script=Han}/u.test(d.message.zh) || !/[a-z]/.test(d.message.en))
          wrong.push(`${label()}: message not bilingual`);
        // A refusal that asks for a document says which ones this customer may show.
        if (d.missing.some((m) => m === 'id_document' || m === 'id_document_or_password')) {
          const first = papersOf(c.customerKind, c.origin)[0]!;
          if (!d.acceptedDocKinds.includes(first)) wrong.push(`${label()}: accepted kinds lack ${first}`);
          if (!d.message.en.includes('may show') && !d.message.en.includes('accepted:'))
            wrong.push(`${label()}: message does not list the documents`);
        }
      } else if (d.reasons.length > 0 || d.missing.length > 0) wrong.push(`${label()}: allowed with reasons`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(tried).toBe(13 * 43 * TYPE_GROUPS.size * 5 * 2 * 2);
    // Every identity check, new accounts, the stricter check and group-only business are all in the table.
    const reps = [...TYPE_GROUPS.values()];
    for (const check of ['id_document', 'password', 'either', 'none'] as const)
      expect(reps.some((t) => t.identity === check)).toBe(true);
    expect(reps.some((t) => t.opensAccount && t.customerKinds.length === 1)).toBe(true);
    expect(reps.some((t) => t.strictUnderContract && t.identity === 'either')).toBe(true);
    console.info(
      `identity table: ${tried} cells tried, ${wrong.length} wrong, ${TYPE_GROUPS.size} type groups`,
    );
  });
});

const base = (over: Partial<IdentityInput>): IdentityInput => ({
  customerKind: 'individual',
  origin: 'mainland',
  businessType: type('plan_change'),
  today: TODAY,
  ...over,
});
const codes = (i: IdentityInput) => identityDecision(i).reasons.map((r) => r.code);

describe('identity rule: hand-picked cases', () => {
  it('normalises full-width digits and X, spaces and hyphens a clerk types, and stores the normal form', () => {
    for (const number of [
      '１１０１０５１９４９１２３１００２Ｘ',
      '110105 19491231 002X',
      '110105-19491231-002x',
      '　11010519491231002ｘ ',
    ]) {
      const d = identityDecision(
        base({ businessType: type('cancel'), document: { kind: 'resident_id', number } }),
      );
      expect(d.allowed, number).toBe(true);
      expect(d.documentNumber).toBe('11010519491231002X');
    }
  });

  it('refuses a wrong check digit and a birth date after today, saying so', () => {
    expect(codes(base({ document: { kind: 'resident_id', number: '110105194912310021' } }))).toEqual([
      'doc_number_invalid',
    ]);
    const body = '99010120270101123';
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const check = '10X98765432'[[...body].reduce((s, ch, i) => s + Number(ch) * weights[i]!, 0) % 11]!;
    const d = identityDecision(base({ document: { kind: 'resident_id', number: body + check } }));
    expect(d.reasons[0]).toMatchObject({
      code: 'doc_number_invalid',
      en: 'The birth date in the ID number is invalid',
    });
  });

  it('checks the end of validity: the last day is still valid, the day before today is not', () => {
    const passport = (expiresOn?: string) =>
      base({
        origin: 'foreign',
        document: { kind: 'passport', number: 'E12345678', ...(expiresOn ? { expiresOn } : {}) },
      });
    expect(identityDecision(passport(TODAY)).allowed).toBe(true);
    expect(codes(passport('2026-03-01'))).toEqual(['doc_expired']);
    expect(codes(passport('2026-02-30'))).toEqual(['doc_expiry_invalid']);
    expect(codes(passport())).toEqual(['doc_expiry_missing']);
    // A resident ID card may be valid for life: no date is fine, a past date is not.
    expect(
      identityDecision(base({ document: { kind: 'resident_id', number: GOOD_NUMBER.resident_id } })).allowed,
    ).toBe(true);
    expect(
      codes(
        base({ document: { kind: 'resident_id', number: GOOD_NUMBER.resident_id, expiresOn: '2020-01-01' } }),
      ),
    ).toEqual(['doc_expired']);
  });

  it('the document shown must be the owner’s registered one (after normalising)', () => {
    const shown = { kind: 'resident_id' as const, number: '11010519491231002x' };
    expect(
      identityDecision(
        base({ document: shown, registered: { kind: 'resident_id', number: '11010519491231002X' } }),
      ).allowed,
    ).toBe(true);
    expect(
      codes(
        base({ document: shown, registered: { kind: 'passport_with_id', number: '11010519491231002X' } }),
      ),
    ).toEqual(['doc_not_owner']);
  });

  it('the initial password never identifies anyone, and the refusal lists the documents', () => {
    const d = identityDecision(base({ password: { state: 'initial', verified: true } }));
    expect(d.allowed).toBe(false);
    expect(d.reasons.map((r) => r.code)).toEqual(['password_initial']);
    expect(d.missing).toEqual(['id_document_or_password']);
    expect(d.message.zh).toContain('国内居民可出示：居民身份证、临时居民身份证');
    expect(d.message.en).toContain('may show: Resident ID card');
    expect(identityDecision(base({ password: { state: 'set', verified: true } }))).toMatchObject({
      allowed: true,
      method: 'password',
    });
  });

  it('a new account needs a valid document and keeps a copy; a password does not do', () => {
    const open = type('mobile_open');
    const d = identityDecision(base({ businessType: open, password: { state: 'set', verified: true } }));
    expect(d).toMatchObject({ allowed: false, copyRequired: true, missing: ['id_document'] });
    expect(d.reasons[0]!.code).toBe('password_not_enough');
    const ok = identityDecision(
      base({ businessType: open, document: { kind: 'resident_id', number: GOOD_NUMBER.resident_id } }),
    );
    expect(ok).toMatchObject({ allowed: true, copyRequired: true, method: 'id_document' });
  });

  it('the stricter check under a subsidy or contract period: document, not password, and the owner in person', () => {
    const sub = { subsidyUntil: TODAY, contractUntil: null };
    const pw = { state: 'set' as const, verified: true };
    const doc = { kind: 'resident_id' as const, number: GOOD_NUMBER.resident_id };
    const d = identityDecision(base({ businessType: type('cancel'), subscription: sub, password: pw }));
    expect(d).toMatchObject({ allowed: false, strict: true, strictUntil: TODAY });
    expect(d.reasons.map((r) => r.code)).toEqual([
      'contract_period',
      'password_not_enough',
      'owner_not_in_person',
    ]);
    expect(d.missing).toEqual(['id_document', 'owner_in_person']);
    // Plan change asks for either normally; under the period it asks for the document too.
    expect(identityDecision(base({ subscription: sub, password: pw, ownerInPerson: true })).missing).toEqual([
      'id_document',
    ]);
    expect(identityDecision(base({ subscription: sub, document: doc, ownerInPerson: true }))).toMatchObject({
      allowed: true,
      strict: true,
      method: 'id_document',
    });
    // The day after the period, a password does again.
    expect(
      identityDecision(base({ subscription: { subsidyUntil: '2026-03-01' }, password: pw, today: TODAY })),
    ).toMatchObject({ allowed: true, strict: false, method: 'password' });
    // Top-up is not a change: no stricter check even in the period.
    expect(identityDecision(base({ businessType: type('top_up'), subscription: sub })).allowed).toBe(true);
    // The later of the two periods is reported.
    expect(
      identityDecision(base({ subscription: { subsidyUntil: '2026-06-30', contractUntil: '2027-12-31' } }))
        .strictUntil,
    ).toBe('2027-12-31');
  });

  it('documents exactly as the norms list them per customer', () => {
    const taiwanWithId = identityDecision(
      base({ origin: 'taiwan', document: { kind: 'resident_id', number: GOOD_NUMBER.resident_id } }),
    );
    expect(taiwanWithId.reasons[0]).toMatchObject({ code: 'doc_kind_not_accepted' });
    expect(taiwanWithId.message.zh).toContain('可出示：台胞证、护照');
    expect(taiwanWithId.acceptedDocKinds).toEqual(['taiwan_permit', 'passport']);
    const group = identityDecision(
      base({ customerKind: 'group', document: { kind: 'resident_id', number: GOOD_NUMBER.resident_id } }),
    );
    expect(group.allowed).toBe(false);
    expect(group.acceptedDocKinds).toEqual(['business_licence']);
    expect(
      identityDecision(
        base({ customerKind: 'group', document: { kind: 'business_licence', number: '91350100m000100y43' } }),
      ).allowed,
    ).toBe(true);
    expect(
      identityDecision(
        base({ origin: 'military', document: { kind: 'soldier_id', number: '陆字第123456号' } }),
      ).allowed,
    ).toBe(true);
    expect(
      identityDecision(
        base({
          origin: 'hk_macao',
          document: { kind: 'passport', number: 'K1234567', expiresOn: '2031-05-01' },
        }),
      ).allowed,
    ).toBe(true);
  });

  it('business the customer kind may not do is refused before anything else', () => {
    const d = identityDecision(
      base({
        businessType: type('leased_line'),
        document: { kind: 'resident_id', number: GOOD_NUMBER.resident_id },
      }),
    );
    expect(d).toMatchObject({ allowed: false, missing: ['allowed_customer_kind'] });
    expect(d.message).toEqual({
      zh: '个人客户不能办理专线及数据电路出租',
      en: 'Leased line and data circuit is not available to individual customers',
    });
  });

  it('what needs no check goes through with nothing, and a wrong document shown is a warning', () => {
    expect(identityDecision(base({ businessType: type('bill_payment') }))).toMatchObject({
      allowed: true,
      method: 'none',
      warnings: [],
    });
    const d = identityDecision(
      base({
        document: { kind: 'resident_id', number: '110105194912310021' },
        password: { state: 'set', verified: true },
      }),
    );
    expect(d).toMatchObject({ allowed: true, method: 'password' });
    expect(d.warnings.map((w) => w.code)).toEqual(['doc_number_invalid']);
  });

  it('a password that did not match is said so', () => {
    expect(codes(base({ password: { state: 'set', verified: false } }))).toEqual(['password_not_verified']);
    expect(codes(base({ businessType: PASSWORD_ONLY }))).toEqual(['password_missing']);
    // A password-only type under the stricter check: each reason once.
    const strictPw = { ...PASSWORD_ONLY, strictUnderContract: true };
    expect(
      codes(
        base({
          businessType: strictPw,
          subscription: { contractUntil: '2027-01-01' },
          password: { state: 'initial', verified: true },
        }),
      ),
    ).toEqual(['contract_period', 'doc_missing', 'password_initial', 'owner_not_in_person']);
    expect(codes(base({}))).toEqual(['identity_missing']);
  });
});

describe('identity rule: whatever a clerk types', () => {
  it('never throws, always answers in both languages, and allows a document only when it is valid', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ID_DOC_KIND_CODES),
        fc.oneof(fc.string(), fc.stringMatching(/^[0-9０-９XxＸ \-－]{0,22}$/)),
        fc.option(
          fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('2026-03-02', '2026-03-01', '2099-12-31')),
          {
            nil: undefined,
          },
        ),
        fc.constantFrom(...BUILTIN_CATALOGUE.types),
        (kind, number, expiresOn, t) => {
          const d = identityDecision(
            base({
              origin: undefined,
              businessType: t,
              document: { kind, number, ...(expiresOn === undefined ? {} : { expiresOn }) },
            }),
          );
          expect(d.message.zh.length > 0 && d.message.en.length > 0).toBe(true);
          if (d.allowed && d.method === 'id_document') {
            expect(d.warnings).toEqual([]);
            expect(d.documentNumber).not.toMatch(/[\s\-－０-９Ｘ]/);
          }
        },
      ),
    );
  });
});
