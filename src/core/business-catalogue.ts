/**
 * The business catalogue of a hall (2§2.1) as data: every business type a clerk can do at a counter, with the
 * customer kinds that may do it, the identity check it needs (2§2.2.1), its typed fields (from which the form
 * and a zod schema are generated), its fee in fen, its effect on the customer's subscriptions as a declarative
 * description, whether a retention step comes first (2§2.1.6), and the notes shown to the clerk beside the
 * form. A catalogue version is the list plus a version id; a province edits a copy, which `validateCatalogue`
 * checks before it is stored.
 *
 * Pinyin initials are shipped as data (`pinyin`, one capital letter per Chinese character, Latin letters and
 * digits of the name kept as they are) rather than computed: a province that renames a type writes them too,
 * and Fuwu carries no pinyin dictionary.
 */
import { z } from 'zod';
import { normaliseDocNumber } from './id-documents.ts';

export const CUSTOMER_KINDS = ['individual', 'family', 'group'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const SUBSCRIPTION_KINDS = ['mobile', 'fixed', 'broadband', 'data', 'value_added'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];
export const SUBSCRIPTION_STATUSES = ['active', 'suspended', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const BUSINESS_GROUPS = {
  mobile: { zh: '移动业务', en: 'Mobile' },
  value_added: { zh: '增值业务', en: 'Value-added' },
  fixed: { zh: '固网业务', en: 'Fixed line' },
  broadband: { zh: '宽带业务', en: 'Broadband' },
  data: { zh: '数据及专线业务', en: 'Data and leased lines' },
  group_product: { zh: '集团产品', en: 'Group products' },
  sales: { zh: '销售', en: 'Sales' },
  consultation: { zh: '咨询', en: 'Consultation' },
  query: { zh: '查询', en: 'Queries' },
} as const;
export type BusinessGroup = keyof typeof BUSINESS_GROUPS;
const GROUP_CODES = Object.keys(BUSINESS_GROUPS) as [BusinessGroup, ...BusinessGroup[]];

/**
 * The identity check of a business type (2§2.2.1): a valid ID document of the owner; the service password
 * (never the initial one); either of the two — what the norms ask of every transaction; or none, for what
 * touches no one's account (consultation, paying a bill, buying a handset).
 */
export const IDENTITY_CHECKS = {
  id_document: { zh: '有效身份证件', en: 'Valid ID document' },
  password: { zh: '服务密码', en: 'Service password' },
  either: { zh: '有效身份证件或服务密码', en: 'ID document or service password' },
  none: { zh: '无需核验', en: 'No check' },
} as const;
export type IdentityCheck = keyof typeof IDENTITY_CHECKS;
const IDENTITY_CODES = Object.keys(IDENTITY_CHECKS) as [IdentityCheck, ...IdentityCheck[]];

export interface Bilingual {
  zh: string;
  en: string;
}
const Notes = z.object({ zh: z.string().max(2000), en: z.string().max(2000) });
const Key = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'camelCase, at most 40 characters');

const fieldBase = {
  key: Key,
  zh: z.string().min(1).max(60),
  en: z.string().min(1).max(80),
  required: z.boolean(),
};

/** A field of a business type's form. Values arrive already typed (fen as integers, dates as YYYY-MM-DD). */
export const FieldDefSchema = z.discriminatedUnion('kind', [
  z.object({
    ...fieldBase,
    kind: z.literal('text'),
    maxLength: z.number().int().min(1).max(2000),
    /** A regular expression the trimmed value must match, e.g. `^[a-z0-9.]{3,30}$`. */
    pattern: z.string().max(200).optional(),
  }),
  z.object({ ...fieldBase, kind: z.literal('phone') }),
  z.object({ ...fieldBase, kind: z.literal('iccid') }),
  z.object({ ...fieldBase, kind: z.literal('imei') }),
  z.object({ ...fieldBase, kind: z.literal('serial') }),
  z.object({
    ...fieldBase,
    kind: z.literal('money_fen'),
    min: z.number().int().min(0).max(1_000_000_000),
    max: z.number().int().min(0).max(1_000_000_000),
  }),
  z.object({
    ...fieldBase,
    kind: z.literal('integer'),
    min: z.number().int().min(-1_000_000).max(1_000_000),
    max: z.number().int().min(-1_000_000).max(1_000_000),
  }),
  z.object({ ...fieldBase, kind: z.literal('date') }),
  z.object({ ...fieldBase, kind: z.literal('month') }),
  z.object({
    ...fieldBase,
    kind: z.literal('enum'),
    options: z
      .array(z.object({ value: Key, zh: z.string().min(1).max(60), en: z.string().min(1).max(80) }))
      .min(1),
  }),
  /** A plan (套餐) code; the plans themselves live in the operator's product catalogue. */
  z.object({ ...fieldBase, kind: z.literal('plan') }),
  /** Another customer of Fuwu (the new owner of a transfer), by id. */
  z.object({ ...fieldBase, kind: z.literal('customer') }),
  z.object({ ...fieldBase, kind: z.literal('boolean') }),
]);
export type FieldDef = z.infer<typeof FieldDefSchema>;
export type FieldKind = FieldDef['kind'];

/** The fee of a business type in fen: fixed, or the value of a money field (negative for money paid out). */
export const FeeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), fen: z.number().int().min(0).max(100_000_000) }),
  z.object({ kind: z.literal('field'), field: Key, sign: z.union([z.literal(1), z.literal(-1)]) }),
]);
export type Fee = z.infer<typeof FeeSchema>;

/**
 * What a business type does to the customer's subscriptions, for the one interface behind which Fuwu keeps
 * them (and an operator's billing or CRM would plug in later).
 */
export const EffectSchema = z.discriminatedUnion('kind', [
  /** A new subscription of the customer: its number, plan and SIM from fields. */
  z.object({
    kind: z.literal('new_subscription'),
    subscriptionKind: z.enum(SUBSCRIPTION_KINDS),
    numberField: Key,
    planField: Key.optional(),
    iccidField: Key.optional(),
  }),
  /** The subscription's status becomes `to` (it must be in one of `appliesTo.statuses` before). */
  z.object({ kind: z.literal('status'), to: z.enum(SUBSCRIPTION_STATUSES) }),
  z.object({ kind: z.literal('sim_change'), iccidField: Key }),
  z.object({ kind: z.literal('plan_change'), planField: Key }),
  /** The deposit held on the subscription grows (`add`) or is paid back (`refund`) by a money field. */
  z.object({ kind: z.literal('deposit'), direction: z.enum(['add', 'refund']), amountField: Key }),
  /** The subscription passes to another customer (过户). */
  z.object({ kind: z.literal('owner_change'), customerField: Key }),
  /** A contract (合约) or subsidy period starts today for the months of a field: the stricter check applies. */
  z.object({ kind: z.literal('contract'), monthsField: Key }),
  /** The customer's service password is set anew (entered on the pad, never a form field). */
  z.object({ kind: z.literal('service_password') }),
  /** The customer's record changes (the module applies the field values to the customer). */
  z.object({ kind: z.literal('customer_info') }),
]);
export type Effect = z.infer<typeof EffectSchema>;

export const BusinessTypeSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'snake_case, at most 40 characters'),
  zh: z.string().min(1).max(40),
  en: z.string().min(1).max(80),
  /** Initials for search: one capital letter per Chinese character, Latin letters and digits kept. */
  pinyin: z.string().regex(/^[A-Z0-9]{1,20}$/, 'capital letters and digits'),
  group: z.enum(GROUP_CODES),
  customerKinds: z.array(z.enum(CUSTOMER_KINDS)).min(1),
  identity: z.enum(IDENTITY_CODES),
  /** A new subscriber (新入网): a valid ID document is required and a copy of it is kept (2§2.2.1). */
  opensAccount: z.boolean(),
  /** Under a subsidy or contract period, the stricter check applies (退网、过户、业务变更, 2§2.2.1). */
  strictUnderContract: z.boolean(),
  /** A cancellation first goes through retention (2§2.1.6). */
  retentionFirst: z.boolean(),
  /** A consultation or query: recorded so that it counts, no fee, nothing to sign for it alone. */
  light: z.boolean(),
  /** The existing subscription the business acts on, when it acts on one. */
  appliesTo: z
    .object({
      kinds: z.array(z.enum(SUBSCRIPTION_KINDS)).min(1),
      statuses: z.array(z.enum(SUBSCRIPTION_STATUSES)).min(1),
    })
    .nullable(),
  fields: z.array(FieldDefSchema).max(30),
  fee: FeeSchema,
  effects: z.array(EffectSchema).max(10),
  notes: Notes,
});
export type BusinessType = z.infer<typeof BusinessTypeSchema>;

export const CatalogueSchema = z.object({
  versionId: z.string().regex(/^[A-Za-z0-9._-]{1,60}$/),
  /** The catalogue this one was copied from, for a province's edit. */
  basedOn: z.string().max(60).nullable(),
  types: z.array(BusinessTypeSchema).min(1).max(500),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;

// ---------------------------------------------------------------------------------------------------------
// The built-in catalogue (headquarters' version; a province starts from a copy).

const ALL: CustomerKind[] = ['individual', 'family', 'group'];
const GROUP_ONLY: CustomerKind[] = ['group'];
const ON_MOBILE = {
  kinds: ['mobile'] as SubscriptionKind[],
  statuses: ['active', 'suspended'] as SubscriptionStatus[],
};
const ACTIVE_MOBILE = {
  kinds: ['mobile'] as SubscriptionKind[],
  statuses: ['active'] as SubscriptionStatus[],
};
const FREE: Fee = { kind: 'fixed', fen: 0 };

const f = {
  phone: (key: string, zh: string, en: string, required = true): FieldDef => ({
    key,
    zh,
    en,
    required,
    kind: 'phone',
  }),
  text: (
    key: string,
    zh: string,
    en: string,
    maxLength: number,
    required = true,
    pattern?: string,
  ): FieldDef => ({
    key,
    zh,
    en,
    required,
    kind: 'text',
    maxLength,
    ...(pattern === undefined ? {} : { pattern }),
  }),
  plan: (key = 'plan', required = true): FieldDef => ({
    key,
    zh: '套餐',
    en: 'Plan',
    required,
    kind: 'plan',
  }),
  iccid: (key = 'iccid', zh = 'SIM卡号（ICCID）', en = 'SIM card (ICCID)'): FieldDef => ({
    key,
    zh,
    en,
    required: true,
    kind: 'iccid',
  }),
  money: (key: string, zh: string, en: string, min: number, max: number, required = true): FieldDef => ({
    key,
    zh,
    en,
    required,
    kind: 'money_fen',
    min,
    max,
  }),
  date: (key: string, zh: string, en: string, required = true): FieldDef => ({
    key,
    zh,
    en,
    required,
    kind: 'date',
  }),
  month: (key: string, zh: string, en: string, required = true): FieldDef => ({
    key,
    zh,
    en,
    required,
    kind: 'month',
  }),
  choice: (
    key: string,
    zh: string,
    en: string,
    options: [string, string, string][],
    required = true,
  ): FieldDef => ({
    key,
    zh,
    en,
    required,
    kind: 'enum',
    options: options.map(([value, ozh, oen]) => ({ value, zh: ozh, en: oen })),
  }),
};

const ON_OFF: [string, string, string][] = [
  ['on', '开通', 'Turn on'],
  ['off', '取消', 'Turn off'],
];

type Entry = Omit<BusinessType, 'opensAccount' | 'strictUnderContract' | 'retentionFirst' | 'light' | 'fee'> &
  Partial<Pick<BusinessType, 'opensAccount' | 'strictUnderContract' | 'retentionFirst' | 'light' | 'fee'>>;
const t = (e: Entry): BusinessType => ({
  opensAccount: false,
  strictUnderContract: false,
  retentionFirst: false,
  light: false,
  fee: FREE,
  ...e,
});

export const BUILTIN_TYPES: readonly BusinessType[] = [
  // -- Mobile (2§2.1.1) --------------------------------------------------------------------------------
  t({
    code: 'mobile_open',
    zh: '新开户入网',
    en: 'New mobile account',
    pinyin: 'XKHRW',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'id_document',
    opensAccount: true,
    appliesTo: null,
    fields: [
      f.phone('number', '新号码', 'New number'),
      f.plan(),
      f.iccid(),
      f.money('prepaidFen', '首次预存', 'First top-up', 0, 10_000_000, false),
    ],
    fee: { kind: 'field', field: 'prepaidFen', sign: 1 },
    effects: [
      {
        kind: 'new_subscription',
        subscriptionKind: 'mobile',
        numberField: 'number',
        planField: 'plan',
        iccidField: 'iccid',
      },
    ],
    notes: {
      zh: '新入网用户必须持本人有效身份证件原件，并留存证件复印件（拍照或扫描）。证件类型须与客户类别相符；临时身份证、护照等须在有效期内。',
      en: 'A new subscriber shows the original of a valid ID document of their own and a copy is kept (photo or scan). The document must fit the kind of customer; temporary IDs and passports must be within their validity.',
    },
  }),
  t({
    code: 'service_password',
    zh: '设置重置服务密码',
    en: 'Set or reset the service password',
    pinyin: 'SZCZFWMM',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'id_document',
    appliesTo: ON_MOBILE,
    fields: [],
    effects: [{ kind: 'service_password' }],
    notes: {
      zh: '密码由客户在密码键盘上自行输入，营业员不得询问或代为输入。忘记密码的重置须核验本人有效身份证件。初始密码不能用于办理业务，提醒客户修改。',
      en: 'The customer types the password on the PIN pad; the clerk never asks for it or types it. A forgotten password is reset only on a valid ID document of the owner. The initial password does not identify anyone: remind the customer to change it.',
    },
  }),
  t({
    code: 'transfer',
    zh: '过户',
    en: 'Transfer of ownership',
    pinyin: 'GH',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'id_document',
    strictUnderContract: true,
    appliesTo: ON_MOBILE,
    fields: [{ key: 'newOwner', zh: '新机主', en: 'New owner', required: true, kind: 'customer' }],
    effects: [{ kind: 'owner_change', customerField: 'newOwner' }],
    notes: {
      zh: '原机主与新机主须同时到场并出示各自有效身份证件；新机主未登记的先建档。协议期或享受入网补贴的号码须严格审查，原则上协议期满后方可过户。',
      en: 'Both the owner and the new owner come in person with their valid ID documents; register the new owner first if unknown. A number in a contract or subsidy period is checked strictly; as a rule it is transferred only after the period.',
    },
  }),
  t({
    code: 'sim_replace',
    zh: '补换卡',
    en: 'SIM replacement',
    pinyin: 'BHK',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'id_document',
    strictUnderContract: true,
    appliesTo: ON_MOBILE,
    fields: [
      f.iccid('iccid', '新SIM卡号（ICCID）', 'New SIM card (ICCID)'),
      f.choice('reason', '原因', 'Reason', [
        ['lost', '丢失补卡', 'Lost'],
        ['damaged', '损坏换卡', 'Damaged'],
        ['resize', '换卡型（大小卡/4G卡）', 'Other size or generation'],
      ]),
    ],
    fee: { kind: 'fixed', fen: 1000 },
    effects: [{ kind: 'sim_change', iccidField: 'iccid' }],
    notes: {
      zh: '补卡须核验机主本人有效身份证件原件（防止冒名补卡）。录入新卡ICCID并当面测试通话。旧卡自动失效。',
      en: 'A SIM is replaced only on the original ID document of the owner (against SIM-swap fraud). Record the new ICCID and test a call with the customer. The old SIM stops working.',
    },
  }),
  t({
    code: 'feature_change',
    zh: '功能变更',
    en: 'Feature change',
    pinyin: 'GNBG',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: ON_MOBILE,
    fields: [
      f.choice('feature', '功能', 'Feature', [
        ['callForwarding', '呼叫转移', 'Call forwarding'],
        ['callWaiting', '呼叫等待', 'Call waiting'],
        ['callerId', '来电显示', 'Caller ID'],
        ['voicemail', '语音信箱', 'Voicemail'],
        ['mobileData', '上网功能', 'Mobile data'],
      ]),
      f.choice('action', '操作', 'Action', ON_OFF),
    ],
    effects: [],
    notes: {
      zh: '变更即时生效，告知客户相关资费。',
      en: 'The change takes effect at once; tell the customer its tariff.',
    },
  }),
  t({
    code: 'plan_change',
    zh: '套餐变更',
    en: 'Plan change',
    pinyin: 'TCBG',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: ON_MOBILE,
    fields: [
      f.plan(),
      f.choice('effective', '生效时间', 'Takes effect', [
        ['nextMonth', '次月生效', 'Next month'],
        ['now', '立即生效', 'At once'],
      ]),
    ],
    effects: [{ kind: 'plan_change', planField: 'plan' }],
    notes: {
      zh: '协议期内的合约套餐原则上不得降档，须严格审查。向客户说明新套餐资费及生效时间。',
      en: 'A contract plan is not lowered during its period as a rule: check strictly. Explain the new tariff and when it takes effect.',
    },
  }),
  t({
    code: 'value_added_change',
    zh: '增值业务变更',
    en: 'Value-added service change',
    pinyin: 'ZZYWBG',
    group: 'value_added',
    customerKinds: ALL,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: ON_MOBILE,
    fields: [
      f.text('product', '增值业务', 'Value-added service', 60),
      f.choice('action', '操作', 'Action', [
        ['subscribe', '订购', 'Subscribe'],
        ['unsubscribe', '退订', 'Unsubscribe'],
      ]),
    ],
    effects: [],
    notes: {
      zh: '订购须客户本人明确同意，不得捆绑。退订即时办理。',
      en: 'A subscription needs the customer’s explicit consent, never bundled. An unsubscription is done at once.',
    },
  }),
  t({
    code: 'customer_info_change',
    zh: '客户资料变更',
    en: 'Customer information change',
    pinyin: 'KHZLBG',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: null,
    fields: [
      f.choice('item', '变更项目', 'What changes', [
        ['contactPhone', '联系电话', 'Contact phone'],
        ['address', '通信地址', 'Address'],
        ['name', '客户名称（须证件）', 'Name (with document)'],
      ]),
      f.text('value', '变更后内容', 'New value', 200),
    ],
    effects: [{ kind: 'customer_info' }],
    notes: {
      zh: '姓名、证件变更须出示有效身份证件原件。资料须完整、准确录入，签字后发现差错须走更正并计入差错。',
      en: 'A change of name or document needs the original ID document. Enter data complete and correct; an error found after signing is corrected by its own command and counted.',
    },
  }),
  t({
    code: 'payment_method',
    zh: '更改付款方式',
    en: 'Payment method change',
    pinyin: 'GGFKFS',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: ON_MOBILE,
    fields: [
      f.choice('method', '付款方式', 'Payment method', [
        ['cash', '现金缴费', 'Cash at the hall'],
        ['bankDebit', '银行托收', 'Bank direct debit'],
        ['prepaid', '预付费', 'Prepaid'],
      ]),
      f.text('bankAccount', '银行账号', 'Bank account', 32, false, '^[0-9]{8,32}$'),
    ],
    effects: [],
    notes: {
      zh: '银行托收须核对账户户名与机主一致。',
      en: 'For a direct debit, check that the account holder is the owner.',
    },
  }),
  t({
    code: 'bill_payment',
    zh: '话费缴纳',
    en: 'Bill payment',
    pinyin: 'HFJN',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'none',
    appliesTo: { kinds: ['mobile', 'fixed', 'broadband', 'data'], statuses: ['active', 'suspended'] },
    fields: [f.money('amountFen', '缴费金额', 'Amount', 1, 10_000_000)],
    fee: { kind: 'field', field: 'amountFen', sign: 1 },
    effects: [],
    notes: {
      zh: '缴费无需核验身份，但不得向缴费人透露机主资料。欠费停机的号码缴清后自动复机。',
      en: 'Paying a bill needs no identity check, but tell the payer nothing of the owner. A number suspended for debt comes back once paid.',
    },
  }),
  t({
    code: 'top_up',
    zh: '话费充值',
    en: 'Top-up',
    pinyin: 'HFCZ',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'none',
    appliesTo: ON_MOBILE,
    fields: [f.money('amountFen', '充值金额', 'Amount', 1, 10_000_000)],
    fee: { kind: 'field', field: 'amountFen', sign: 1 },
    effects: [],
    notes: { zh: '核对号码后再收款。', en: 'Read the number back before taking the money.' },
  }),
  t({
    code: 'balance_refund',
    zh: '余额退费',
    en: 'Balance refund',
    pinyin: 'YETF',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'id_document',
    appliesTo: { kinds: ['mobile'], statuses: ['active', 'suspended', 'cancelled'] },
    fields: [f.money('amountFen', '退费金额', 'Amount refunded', 1, 10_000_000)],
    fee: { kind: 'field', field: 'amountFen', sign: -1 },
    effects: [],
    notes: {
      zh: '退费只退机主本人，须核验有效身份证件；超过营业厅审批限额的须上级审批（2§3.4.3）。',
      en: 'Money goes back only to the owner, on a valid ID document; above the hall’s approval limit the superior approves (2§3.4.3).',
    },
  }),
  t({
    code: 'bill_query',
    zh: '账详单查询打印',
    en: 'Bill and call detail query and print',
    pinyin: 'ZXDCXDY',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: { kinds: ['mobile', 'fixed', 'broadband'], statuses: ['active', 'suspended', 'cancelled'] },
    fields: [
      f.month('month', '账期', 'Billing month'),
      f.choice('what', '内容', 'What', [
        ['bill', '账单', 'Bill'],
        ['detail', '详单', 'Call detail'],
      ]),
    ],
    effects: [],
    notes: {
      zh: '详单涉及通信秘密，只提供给机主本人。',
      en: 'Call details are private to the owner and given to no one else.',
    },
  }),
  t({
    code: 'unlock',
    zh: '卡类解锁',
    en: 'SIM unlock (PUK)',
    pinyin: 'KLJS',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: ON_MOBILE,
    fields: [],
    effects: [],
    notes: {
      zh: '当面解锁，提醒客户修改PIN码。',
      en: 'Unlock with the customer present; remind them to change the PIN.',
    },
  }),
  t({
    code: 'receipt_reprint',
    zh: '票据补打',
    en: 'Receipt reprint',
    pinyin: 'PJBD',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: null,
    fields: [
      f.text('receiptNo', '原票据号', 'Original receipt number', 40),
      f.month('month', '月份', 'Month', false),
    ],
    effects: [],
    notes: { zh: '补打的票据标明“补打”字样。', en: 'A reprinted receipt says it is a reprint.' },
  }),
  t({
    code: 'international',
    zh: '国际长途及国际漫游',
    en: 'International calls and roaming',
    pinyin: 'GJCTJGJMY',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: ACTIVE_MOBILE,
    fields: [
      f.choice('service', '业务', 'Service', [
        ['idd', '国际长途', 'International calls'],
        ['roaming', '国际漫游', 'International roaming'],
        ['both', '国际长途及漫游', 'Both'],
      ]),
      f.money('depositFen', '押金', 'Deposit', 0, 10_000_000),
    ],
    fee: { kind: 'field', field: 'depositFen', sign: 1 },
    effects: [{ kind: 'deposit', direction: 'add', amountField: 'depositFen' }],
    notes: {
      zh: '按客户信用等级收取押金，开具押金收据；告知漫游资费。',
      en: 'Take the deposit the customer’s credit level asks, with a deposit receipt; explain the roaming tariff.',
    },
  }),
  t({
    code: 'deposit_refund',
    zh: '押金退还',
    en: 'Deposit refund',
    pinyin: 'YJTH',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'id_document',
    appliesTo: { kinds: ['mobile'], statuses: ['active', 'suspended', 'cancelled'] },
    fields: [f.money('depositFen', '退还押金', 'Deposit refunded', 1, 10_000_000)],
    fee: { kind: 'field', field: 'depositFen', sign: -1 },
    effects: [{ kind: 'deposit', direction: 'refund', amountField: 'depositFen' }],
    notes: {
      zh: '凭押金收据及机主有效身份证件退还，收回押金收据。',
      en: 'Refunded on the deposit receipt and a valid ID document of the owner; keep the receipt.',
    },
  }),
  t({
    code: 'suspend',
    zh: '停机',
    en: 'Suspension',
    pinyin: 'TJ',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: ACTIVE_MOBILE,
    fields: [
      f.choice('reason', '原因', 'Reason', [
        ['voluntary', '用户申请停机（报停）', 'At the customer’s request'],
        ['travel', '出国/外出', 'Travel'],
      ]),
      f.date('until', '预计复机日期', 'Expected back on', false),
    ],
    effects: [{ kind: 'status', to: 'suspended' }],
    notes: {
      zh: '告知停机期间的月租规则。协议期内的号码停机须严格审查。',
      en: 'Explain the monthly fee while suspended. A number in a contract period is checked strictly.',
    },
  }),
  t({
    code: 'reactivate',
    zh: '复机',
    en: 'Reactivation',
    pinyin: 'FJ',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: { kinds: ['mobile'], statuses: ['suspended'] },
    fields: [],
    effects: [{ kind: 'status', to: 'active' }],
    notes: {
      zh: '挂失后复机的，先确认已补卡。',
      en: 'After a loss report, check that the SIM was replaced first.',
    },
  }),
  t({
    code: 'report_loss',
    zh: '挂失',
    en: 'Report loss',
    pinyin: 'GS',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: ACTIVE_MOBILE,
    fields: [f.date('lostOn', '丢失日期', 'Lost on', false)],
    effects: [{ kind: 'status', to: 'suspended' }],
    notes: {
      zh: '挂失立即停机，防止盗用。解挂须补卡或复机。',
      en: 'A loss report suspends the number at once against misuse. Undo it by a SIM replacement or a reactivation.',
    },
  }),
  t({
    code: 'cancel',
    zh: '销号',
    en: 'Cancellation',
    pinyin: 'XH',
    group: 'mobile',
    customerKinds: ALL,
    identity: 'id_document',
    strictUnderContract: true,
    retentionFirst: true,
    appliesTo: {
      kinds: ['mobile', 'fixed', 'broadband', 'data', 'value_added'],
      statuses: ['active', 'suspended'],
    },
    fields: [
      f.choice('reason', '离网原因', 'Why the customer leaves', [
        ['moving', '迁出本地', 'Moving away'],
        ['price', '资费原因', 'Price'],
        ['network', '网络覆盖', 'Network coverage'],
        ['service', '服务原因', 'Service'],
        ['other', '其他', 'Other'],
      ]),
    ],
    effects: [{ kind: 'status', to: 'cancelled' }],
    notes: {
      zh: '销号前先做离网挽留（2§2.1.6）。须核验机主有效身份证件；结清话费，退还余额与押金另行办理。协议期内须严格审查。',
      en: 'Retention comes before a cancellation (2§2.1.6). A valid ID document of the owner is required; the bill is settled first, balance and deposit are refunded as their own business. A contract period is checked strictly.',
    },
  }),
  // -- Fixed line, broadband, data (2§2.1.1) -----------------------------------------------------------
  t({
    code: 'fixed_open',
    zh: '固定电话新装',
    en: 'New fixed line',
    pinyin: 'GDDHXZ',
    group: 'fixed',
    customerKinds: ALL,
    identity: 'id_document',
    opensAccount: true,
    appliesTo: null,
    fields: [
      f.phone('number', '电话号码', 'Number'),
      f.plan(),
      f.text('address', '装机地址', 'Installation address', 200),
      f.date('installOn', '预约装机日期', 'Installation date'),
    ],
    effects: [
      { kind: 'new_subscription', subscriptionKind: 'fixed', numberField: 'number', planField: 'plan' },
    ],
    notes: {
      zh: '核实装机地址的资源情况后受理，留存证件复印件。可同时开通长途、IP电话。',
      en: 'Accept once the address has capacity; keep a copy of the document. Long-distance and IP calls can be opened with it.',
    },
  }),
  t({
    code: 'fixed_change',
    zh: '固话业务变更',
    en: 'Fixed-line service change',
    pinyin: 'GHYWBG',
    group: 'fixed',
    customerKinds: ALL,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: { kinds: ['fixed'], statuses: ['active', 'suspended'] },
    fields: [
      f.choice('service', '业务', 'Service', [
        ['longDistance', '国内长途', 'Domestic long distance'],
        ['ipCalls', 'IP电话', 'IP calls'],
        ['international', '国际长途', 'International calls'],
        ['videoPhone', '宝视通', 'Video phone'],
      ]),
      f.choice('action', '操作', 'Action', ON_OFF),
    ],
    effects: [],
    notes: { zh: '告知相关资费。', en: 'Explain the tariff.' },
  }),
  t({
    code: 'broadband_open',
    zh: '宽带新装',
    en: 'New broadband',
    pinyin: 'KDXZ',
    group: 'broadband',
    customerKinds: ALL,
    identity: 'id_document',
    opensAccount: true,
    appliesTo: null,
    fields: [
      f.text('account', '宽带账号', 'Broadband account', 20, true, '^[0-9A-Za-z-]{5,20}$'),
      f.plan(),
      f.text('address', '装机地址', 'Installation address', 200),
      f.date('installOn', '预约装机日期', 'Installation date'),
    ],
    effects: [
      { kind: 'new_subscription', subscriptionKind: 'broadband', numberField: 'account', planField: 'plan' },
    ],
    notes: {
      zh: '先查询地址是否具备接入条件；留存证件复印件；告知装机时限。',
      en: 'Check the address can be connected first; keep a copy of the document; tell the installation time.',
    },
  }),
  t({
    code: 'broadband_change',
    zh: '宽带变更',
    en: 'Broadband change',
    pinyin: 'KDBG',
    group: 'broadband',
    customerKinds: ALL,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: { kinds: ['broadband'], statuses: ['active', 'suspended'] },
    fields: [f.plan()],
    effects: [{ kind: 'plan_change', planField: 'plan' }],
    notes: { zh: '提速、降速及资费变更。', en: 'Speed and tariff changes.' },
  }),
  t({
    code: 'leased_line',
    zh: '专线及数据电路出租',
    en: 'Leased line and data circuit',
    pinyin: 'ZXJSJDLCZ',
    group: 'data',
    customerKinds: GROUP_ONLY,
    identity: 'id_document',
    opensAccount: true,
    appliesTo: null,
    fields: [
      f.text('circuit', '电路编号', 'Circuit id', 20, true, '^[0-9A-Za-z-]{5,20}$'),
      f.choice('bandwidth', '带宽', 'Bandwidth', [
        ['mbps2', '2M', '2 Mbit/s'],
        ['mbps10', '10M', '10 Mbit/s'],
        ['mbps100', '100M', '100 Mbit/s'],
        ['gbps1', '1G', '1 Gbit/s'],
      ]),
      f.text('aEnd', 'A端地址', 'A-end address', 200),
      f.text('zEnd', 'Z端地址', 'Z-end address', 200),
      f.plan(),
    ],
    effects: [
      { kind: 'new_subscription', subscriptionKind: 'data', numberField: 'circuit', planField: 'plan' },
    ],
    notes: {
      zh: '集团客户凭营业执照及经办人身份证件、授权书办理；留存复印件。',
      en: 'A group comes with its business licence, the representative’s ID and an authorisation; copies are kept.',
    },
  }),
  t({
    code: 'vpdn',
    zh: 'VPDN业务',
    en: 'VPDN',
    pinyin: 'VPDNYW',
    group: 'data',
    customerKinds: GROUP_ONLY,
    identity: 'id_document',
    opensAccount: true,
    appliesTo: null,
    fields: [
      f.text('apn', 'APN/域名', 'APN or domain', 20, true, '^[0-9A-Za-z-]{5,20}$'),
      { key: 'users', zh: '用户数', en: 'Users', required: true, kind: 'integer', min: 1, max: 100_000 },
      f.plan(),
    ],
    effects: [{ kind: 'new_subscription', subscriptionKind: 'data', numberField: 'apn', planField: 'plan' }],
    notes: { zh: '凭营业执照办理，留存复印件。', en: 'On the business licence; a copy is kept.' },
  }),
  t({
    code: 'mailbox',
    zh: '如意邮箱',
    en: 'Mailbox',
    pinyin: 'RYYX',
    group: 'value_added',
    customerKinds: ALL,
    identity: 'either',
    appliesTo: null,
    fields: [
      f.text('mailbox', '邮箱名', 'Mailbox name', 20, true, '^[0-9A-Za-z-]{5,20}$'),
      f.plan('plan', false),
    ],
    effects: [
      {
        kind: 'new_subscription',
        subscriptionKind: 'value_added',
        numberField: 'mailbox',
        planField: 'plan',
      },
    ],
    notes: { zh: '告知邮箱容量与资费。', en: 'Explain the mailbox size and tariff.' },
  }),
  t({
    code: 'group_product',
    zh: '标准集团产品',
    en: 'Standard group product',
    pinyin: 'BZJTCP',
    group: 'group_product',
    customerKinds: GROUP_ONLY,
    identity: 'either',
    strictUnderContract: true,
    appliesTo: null,
    fields: [
      f.choice('product', '产品', 'Product', [
        ['groupRingback', '集团彩铃', 'Group ringback tone'],
        ['industrySms', '行业短信', 'Industry SMS'],
        ['vpmn', '集团V网', 'Group virtual network'],
        ['industryApp', '行业应用', 'Industry application'],
      ]),
      f.choice('action', '操作', 'Action', [
        ['subscribe', '订购', 'Subscribe'],
        ['change', '变更', 'Change'],
        ['unsubscribe', '退订', 'Unsubscribe'],
      ]),
      { key: 'members', zh: '成员数', en: 'Members', required: false, kind: 'integer', min: 1, max: 100_000 },
    ],
    effects: [],
    notes: {
      zh: '集团客户经办人须持授权书；复杂的行业应用转客户经理。',
      en: 'The group’s representative brings an authorisation; complex industry applications go to the account manager.',
    },
  }),
  // -- Sales (2§2.1.2) ---------------------------------------------------------------------------------
  t({
    code: 'terminal_sale',
    zh: '终端销售',
    en: 'Handset sale',
    pinyin: 'ZDXS',
    group: 'sales',
    customerKinds: ALL,
    identity: 'none',
    appliesTo: null,
    fields: [
      f.text('model', '机型', 'Model', 60),
      { key: 'imei', zh: '串号（IMEI）', en: 'IMEI', required: true, kind: 'imei' },
      f.money('priceFen', '售价', 'Price', 1, 10_000_000),
    ],
    fee: { kind: 'field', field: 'priceFen', sign: 1 },
    effects: [],
    notes: {
      zh: '当面核对串号与包装一致并开机检测；开具发票，告知三包政策。',
      en: 'Check with the customer that the IMEI matches the box and the handset starts; give an invoice and explain the warranty.',
    },
  }),
  t({
    code: 'contract_handset',
    zh: '合约购机',
    en: 'Handset on contract',
    pinyin: 'HYGJ',
    group: 'sales',
    customerKinds: ALL,
    identity: 'id_document',
    appliesTo: ACTIVE_MOBILE,
    fields: [
      f.text('model', '机型', 'Model', 60),
      { key: 'imei', zh: '串号（IMEI）', en: 'IMEI', required: true, kind: 'imei' },
      f.money('priceFen', '购机款', 'Price paid', 0, 10_000_000),
      f.choice('months', '协议期', 'Contract period', [
        ['m12', '12个月', '12 months'],
        ['m24', '24个月', '24 months'],
        ['m36', '36个月', '36 months'],
      ]),
    ],
    fee: { kind: 'field', field: 'priceFen', sign: 1 },
    effects: [{ kind: 'contract', monthsField: 'months' }],
    notes: {
      zh: '合约期内享受购机补贴，协议期内退网、过户、变更须严格审查；向客户宣读协议条款。',
      en: 'The handset is subsidised for the contract period, during which cancellation, transfer and changes are checked strictly; read the terms to the customer.',
    },
  }),
  t({
    code: 'card_sale',
    zh: '有价卡销售',
    en: 'Value card sale',
    pinyin: 'YJKXS',
    group: 'sales',
    customerKinds: ALL,
    identity: 'none',
    appliesTo: null,
    fields: [
      f.choice('card', '卡类', 'Card', [
        ['topUp', '充值卡', 'Top-up card'],
        ['prepaidSim', '预付费SIM卡', 'Prepaid SIM'],
        ['ipCard', 'IP电话卡', 'IP calling card'],
      ]),
      { key: 'serial', zh: '卡号（序列号）', en: 'Serial number', required: true, kind: 'serial' },
      f.money('priceFen', '售价', 'Price', 1, 1_000_000),
    ],
    fee: { kind: 'field', field: 'priceFen', sign: 1 },
    effects: [],
    notes: {
      zh: '登记卡号，当面清点。',
      en: 'Record the serial number and count the cards with the customer.',
    },
  }),
  // -- Consultation and queries (2§2.1.3–2.1.4): light transactions ------------------------------------
  t({
    code: 'consultation',
    zh: '业务咨询',
    en: 'Consultation',
    pinyin: 'YWZX',
    group: 'consultation',
    customerKinds: ALL,
    identity: 'none',
    light: true,
    appliesTo: null,
    fields: [
      f.choice('topic', '咨询内容', 'Topic', [
        ['company', '公司介绍', 'The company'],
        ['tariffs', '资费标准', 'Tariffs'],
        ['business', '业务介绍及办理', 'Services and how to get them'],
        ['network', '网络及漫游', 'Network and roaming'],
        ['newServices', '新业务', 'New services'],
        ['service', '服务内容', 'Service'],
        ['codes', '区号、网号', 'Area and network codes'],
      ]),
      f.text('note', '备注', 'Note', 200, false),
    ],
    effects: [],
    notes: {
      zh: '咨询记录计入业务量；不涉及客户资料。',
      en: 'A consultation counts in the business volume; it touches no customer data.',
    },
  }),
  t({
    code: 'account_query',
    zh: '客户资料查询',
    en: 'Account query',
    pinyin: 'KHZLCX',
    group: 'query',
    customerKinds: ALL,
    identity: 'either',
    light: true,
    appliesTo: null,
    fields: [
      f.choice('topic', '查询内容', 'Topic', [
        ['customerData', '客户资料', 'Customer data'],
        ['consumption', '消费历史', 'Consumption history'],
        ['businessHistory', '业务受理历史', 'Business history'],
        ['complaints', '投诉处理情况', 'Complaint status'],
        ['hlr', 'HLR资料', 'HLR data'],
      ]),
    ],
    effects: [],
    notes: {
      zh: '只向机主本人提供，核验后查询。',
      en: 'Given only to the owner, after the check.',
    },
  }),
  t({
    code: 'public_query',
    zh: '号段地域查询',
    en: 'Number range query',
    pinyin: 'HDDYCX',
    group: 'query',
    customerKinds: ALL,
    identity: 'none',
    light: true,
    appliesTo: null,
    fields: [
      f.choice('topic', '查询内容', 'Topic', [
        ['numberRange', '移动号段地域', 'Mobile number range region'],
        ['fixedRange', '固网号段地域', 'Fixed number range region'],
        ['allocation', '放号资料', 'Numbers on offer'],
      ]),
    ],
    effects: [],
    notes: { zh: '公开信息，无需核验。', en: 'Public information; no check.' },
  }),
];

export const BUILTIN_CATALOGUE: Catalogue = {
  versionId: 'hq-2009.1',
  basedOn: null,
  types: [...BUILTIN_TYPES],
};

// ---------------------------------------------------------------------------------------------------------
// Validation of a catalogue (a province's edit) and of a business type's field values.

export interface CatalogueProblem extends Bilingual {
  /** Where: `types[3].fields[1].key`. */
  path: string;
}

const FIELD_KINDS_OF: Record<string, readonly FieldKind[]> = {
  fee: ['money_fen'],
  deposit: ['money_fen'],
  iccid: ['iccid'],
  plan: ['plan'],
  number: ['phone', 'text'],
  customer: ['customer'],
  months: ['enum', 'integer'],
};

/**
 * What is wrong with a catalogue: its shape, then its sense — unique codes and field keys, fees and effects
 * naming fields of the right kind, ranges the right way round, enum values unique, patterns that compile, a new
 * account checked by ID document, a retention step only on a cancellation. An empty list when it is valid.
 */
export function validateCatalogue(c: unknown): CatalogueProblem[] {
  const parsed = CatalogueSchema.safeParse(c);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({
      path: i.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, ''),
      zh: `格式不正确：${i.message}`,
      en: `Malformed: ${i.message}`,
    }));
  }
  const problems: CatalogueProblem[] = [];
  const add = (path: string, zh: string, en: string) => problems.push({ path, zh, en });
  const codes = new Map<string, number>();
  parsed.data.types.forEach((type, ti) => {
    const at = `types[${ti}]`;
    const first = codes.get(type.code);
    if (first !== undefined)
      add(
        `${at}.code`,
        `业务编码 ${type.code} 与第 ${first + 1} 项重复`,
        `Code ${type.code} repeats entry ${first + 1}`,
      );
    else codes.set(type.code, ti);
    if (new Set(type.customerKinds).size !== type.customerKinds.length)
      add(`${at}.customerKinds`, '客户类别重复', 'A customer kind is listed twice');
    const fields = new Map<string, FieldDef>();
    type.fields.forEach((fd, fi) => {
      const fat = `${at}.fields[${fi}]`;
      if (fields.has(fd.key)) add(`${fat}.key`, `字段 ${fd.key} 重复`, `Field ${fd.key} is defined twice`);
      fields.set(fd.key, fd);
      if ((fd.kind === 'money_fen' || fd.kind === 'integer') && fd.min > fd.max)
        add(fat, `字段 ${fd.key} 的下限大于上限`, `Field ${fd.key} has its minimum above its maximum`);
      if (fd.kind === 'enum' && new Set(fd.options.map((o) => o.value)).size !== fd.options.length)
        add(`${fat}.options`, `字段 ${fd.key} 的选项重复`, `Field ${fd.key} has an option twice`);
      if (fd.kind === 'text' && fd.pattern !== undefined) {
        try {
          new RegExp(fd.pattern);
        } catch {
          add(
            `${fat}.pattern`,
            `字段 ${fd.key} 的格式不是有效的正则表达式`,
            `Field ${fd.key} has an invalid pattern`,
          );
        }
      }
    });
    const needField = (path: string, key: string, role: keyof typeof FIELD_KINDS_OF, required: boolean) => {
      const fd = fields.get(key);
      if (!fd) return add(path, `引用的字段 ${key} 不存在`, `Field ${key} is not defined`);
      if (!FIELD_KINDS_OF[role]!.includes(fd.kind))
        add(
          path,
          `字段 ${key} 的类型 ${fd.kind} 不能用于此处`,
          `Field ${key} of kind ${fd.kind} cannot be used here (${FIELD_KINDS_OF[role]!.join('/')})`,
        );
      else if (required && !fd.required) add(path, `字段 ${key} 必须为必填`, `Field ${key} must be required`);
    };
    if (type.fee.kind === 'field') needField(`${at}.fee.field`, type.fee.field, 'fee', false);
    type.effects.forEach((e, ei) => {
      const eat = `${at}.effects[${ei}]`;
      switch (e.kind) {
        case 'new_subscription':
          needField(`${eat}.numberField`, e.numberField, 'number', true);
          if (e.planField !== undefined) needField(`${eat}.planField`, e.planField, 'plan', false);
          if (e.iccidField !== undefined) needField(`${eat}.iccidField`, e.iccidField, 'iccid', true);
          if (type.appliesTo !== null)
            add(eat, '新装业务不应作用于已有号码', 'A new subscription does not act on an existing one');
          break;
        case 'sim_change':
          needField(`${eat}.iccidField`, e.iccidField, 'iccid', true);
          break;
        case 'plan_change':
          needField(`${eat}.planField`, e.planField, 'plan', true);
          break;
        case 'deposit':
          needField(`${eat}.amountField`, e.amountField, 'deposit', true);
          break;
        case 'owner_change':
          needField(`${eat}.customerField`, e.customerField, 'customer', true);
          break;
        case 'contract': {
          needField(`${eat}.monthsField`, e.monthsField, 'months', true);
          const fd = fields.get(e.monthsField);
          if (fd?.kind === 'enum' && fd.options.some((o) => monthsOf(o.value) === null))
            add(
              `${eat}.monthsField`,
              '协议期选项须为 m12 这样的月数',
              'Contract options are month counts like m12',
            );
          break;
        }
        case 'status':
          if (type.appliesTo === null)
            add(
              eat,
              '变更状态的业务须指定作用的号码',
              'A status change acts on a subscription: set appliesTo',
            );
          else if (type.appliesTo.statuses.includes(e.to) && type.appliesTo.statuses.length === 1)
            add(eat, `号码已是目标状态 ${e.to}`, `The subscription is already ${e.to}`);
          break;
        default:
          break;
      }
      if (
        ['sim_change', 'plan_change', 'deposit', 'owner_change', 'contract'].includes(e.kind) &&
        type.appliesTo === null
      )
        add(eat, '此变更须指定作用的号码', 'This change acts on a subscription: set appliesTo');
    });
    if (type.opensAccount && type.identity !== 'id_document')
      add(
        `${at}.identity`,
        '新入网须核验有效身份证件（2§2.2.1）',
        'A new account needs a valid ID document (2§2.2.1)',
      );
    if (type.opensAccount && !type.effects.some((e) => e.kind === 'new_subscription'))
      add(`${at}.effects`, '新入网业务须新建号码', 'A new account creates a subscription');
    if (type.retentionFirst && !type.effects.some((e) => e.kind === 'status' && e.to === 'cancelled'))
      add(`${at}.retentionFirst`, '挽留只用于销号', 'Retention comes only before a cancellation');
    if (type.effects.some((e) => e.kind === 'status' && e.to === 'cancelled') && !type.retentionFirst)
      add(
        `${at}.retentionFirst`,
        '销号前须先挽留（2§2.1.6）',
        'A cancellation goes through retention first (2§2.1.6)',
      );
    if (type.light && (type.fee.kind !== 'fixed' || type.fee.fen !== 0 || type.effects.length > 0))
      add(
        `${at}.light`,
        '咨询查询类业务不收费、不变更号码',
        'A consultation or query has no fee and no effect',
      );
    const cjk = [...type.zh].filter((ch) => /\p{Script=Han}/u.test(ch)).length;
    const latin = type.zh.match(/[A-Za-z0-9]/g)?.length ?? 0;
    if (type.pinyin.length !== cjk + latin)
      add(
        `${at}.pinyin`,
        `拼音首字母应为 ${cjk + latin} 个（每个汉字一个）`,
        `The initials should have ${cjk + latin} letters (one per Chinese character)`,
      );
  });
  return problems;
}

/** `m24` → 24; anything else null. */
export function monthsOf(option: string): number | null {
  const m = /^m(\d{1,3})$/.exec(option);
  return m && Number(m[1]) > 0 ? Number(m[1]) : null;
}

/** Luhn check (IMEI, ISO/IEC 7812), over all digits including the last. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

const compact = (v: unknown) => (typeof v === 'string' ? normaliseDocNumber(v) : v);
const msg = (zh: string, en: string) => `${zh} ¦ ${en}`;

function fieldSchema(fd: FieldDef): z.ZodType {
  const name = (s: string) => `${fd.zh}${s}`;
  switch (fd.kind) {
    case 'text': {
      let s = z
        .string()
        .trim()
        .max(
          fd.maxLength,
          msg(name(`最多${fd.maxLength}个字`), `${fd.en}: at most ${fd.maxLength} characters`),
        );
      if (fd.required) s = s.min(1, msg(name('必填'), `${fd.en} is required`));
      if (fd.pattern !== undefined)
        s = s.regex(new RegExp(fd.pattern), msg(name('格式不正确'), `${fd.en} is not valid`));
      return s;
    }
    case 'phone':
      return z.preprocess(
        compact,
        z
          .string()
          .regex(
            /^(1\d{10}|0\d{9,11})$/,
            msg(name('应为手机号码或带区号的固定电话'), `${fd.en} is not a phone number`),
          ),
      );
    case 'iccid':
      return z.preprocess(
        compact,
        z
          .string()
          .regex(
            /^89[0-9A-F]{17,18}$/,
            msg(name('应为19或20位，以89开头'), `${fd.en}: 19 or 20 characters from 89`),
          ),
      );
    case 'imei':
      return z.preprocess(
        compact,
        z
          .string()
          .regex(/^\d{15}$/, msg(name('应为15位数字'), `${fd.en}: 15 digits`))
          .refine(luhnValid, msg(name('校验位错误'), `${fd.en}: the check digit is wrong`)),
      );
    case 'serial':
      return z.preprocess(
        compact,
        z
          .string()
          .regex(
            /^[0-9A-Z]{4,40}$/,
            msg(name('应为4至40位字母或数字'), `${fd.en}: 4 to 40 letters or digits`),
          ),
      );
    case 'money_fen':
      return z
        .number(msg(name('应为金额（分）'), `${fd.en} is an amount in fen`))
        .int(msg(name('应为整数分'), `${fd.en} is a whole number of fen`))
        .min(fd.min, msg(name(`不少于${fd.min}分`), `${fd.en}: at least ${fd.min} fen`))
        .max(fd.max, msg(name(`不超过${fd.max}分`), `${fd.en}: at most ${fd.max} fen`));
    case 'integer':
      return z
        .number(msg(name('应为整数'), `${fd.en} is a whole number`))
        .int(msg(name('应为整数'), `${fd.en} is a whole number`))
        .min(fd.min, msg(name(`不少于${fd.min}`), `${fd.en}: at least ${fd.min}`))
        .max(fd.max, msg(name(`不超过${fd.max}`), `${fd.en}: at most ${fd.max}`));
    case 'date':
      return z
        .string()
        .refine(validDate, msg(name('应为有效日期 YYYY-MM-DD'), `${fd.en}: a date YYYY-MM-DD`));
    case 'month':
      return z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, msg(name('应为月份 YYYY-MM'), `${fd.en}: a month YYYY-MM`));
    case 'enum':
      return z.enum(
        fd.options.map((o) => o.value) as [string, ...string[]],
        msg(name('不是可选的值'), `${fd.en}: not one of the options`),
      );
    case 'plan':
      return z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z_-]{2,30}$/, msg(name('应为套餐编码'), `${fd.en}: a plan code`));
    case 'customer':
      return z.uuid(msg(name('应为客户编号'), `${fd.en}: a customer id`));
    case 'boolean':
      return z.boolean(msg(name('应为是/否'), `${fd.en}: yes or no`));
  }
}

export type FieldValue = string | number | boolean;
export type FieldValues = Record<string, FieldValue | undefined>;

/**
 * The zod schema of a business type's form: one property per field, typed and checked (full-width digits and
 * spaces in ICCIDs, IMEIs, phones and serials normalised), optional fields optional, unknown keys refused.
 * Messages are `中文 ¦ English`, as the rest of the API's zod messages.
 */
export function fieldsSchema(type: Pick<BusinessType, 'fields'>): z.ZodType<FieldValues> {
  const shape: Record<string, z.ZodType> = {};
  for (const fd of type.fields) shape[fd.key] = fd.required ? fieldSchema(fd) : fieldSchema(fd).optional();
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? msg(`表单没有此项：${iss.keys.join('、')}`, `No such field: ${iss.keys.join(', ')}`)
        : undefined,
  }) as unknown as z.ZodType<FieldValues>;
}

/** The fee of a business in fen, from validated field values: fixed, or a money field (0 when left out). */
export function feeOf(type: Pick<BusinessType, 'fee'>, values: FieldValues): number {
  if (type.fee.kind === 'fixed') return type.fee.fen;
  const v = values[type.fee.field];
  const fen = typeof v === 'number' && Number.isSafeInteger(v) ? v : 0;
  return fen === 0 ? 0 : type.fee.sign * fen;
}

/** A concrete change to apply, in the transaction's own database transaction. */
export type SubscriptionChange =
  | {
      op: 'create';
      kind: SubscriptionKind;
      number: string;
      plan: string;
      iccid: string | null;
    }
  | { op: 'set_status'; from: SubscriptionStatus; to: SubscriptionStatus }
  | { op: 'set_sim'; iccid: string }
  | { op: 'set_plan'; plan: string }
  | { op: 'deposit'; deltaFen: number }
  | { op: 'set_owner'; customerId: string }
  | { op: 'contract'; until: string }
  | { op: 'service_password' }
  | { op: 'customer_info'; values: FieldValues };

export interface SubscriptionState {
  kind: SubscriptionKind;
  status: SubscriptionStatus;
}

/**
 * Why a business cannot act on this subscription (or on none), or null: the kinds and statuses of `appliesTo`,
 * and a new account that names no subscription.
 */
export function subscriptionProblem(
  type: Pick<BusinessType, 'appliesTo' | 'zh' | 'en'>,
  subscription: SubscriptionState | null,
): Bilingual | null {
  if (type.appliesTo === null) return null;
  if (subscription === null)
    return { zh: `${type.zh}须选择办理的号码`, en: `${type.en}: choose the subscription it is for` };
  if (!type.appliesTo.kinds.includes(subscription.kind))
    return {
      zh: `${type.zh}不适用于此类号码`,
      en: `${type.en} does not apply to a ${subscription.kind} subscription`,
    };
  if (!type.appliesTo.statuses.includes(subscription.status))
    return {
      zh: `号码当前状态（${STATUS_ZH[subscription.status]}）不能办理${type.zh}`,
      en: `${type.en} cannot be done on a subscription that is ${subscription.status}`,
    };
  return null;
}

const STATUS_ZH: Record<SubscriptionStatus, string> = {
  active: '正常',
  suspended: '停机',
  cancelled: '已销号',
};

/** `2026-01-31` + 1 month → `2026-02-28` (the last day when the month is shorter). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * The concrete changes a business makes, from its declared effects and validated field values (`today` is the
 * local date, for a contract's end). `subscription` is the one it acts on, for a status change's `from`.
 */
export function effectChanges(
  type: Pick<BusinessType, 'effects' | 'fields'>,
  values: FieldValues,
  today: string,
  subscription: SubscriptionState | null,
): SubscriptionChange[] {
  const str = (key: string | undefined) => (key === undefined ? '' : String(values[key] ?? ''));
  const out: SubscriptionChange[] = [];
  for (const e of type.effects) {
    switch (e.kind) {
      case 'new_subscription':
        out.push({
          op: 'create',
          kind: e.subscriptionKind,
          number: str(e.numberField),
          plan: str(e.planField),
          iccid: e.iccidField === undefined ? null : str(e.iccidField),
        });
        break;
      case 'status':
        if (subscription) out.push({ op: 'set_status', from: subscription.status, to: e.to });
        break;
      case 'sim_change':
        out.push({ op: 'set_sim', iccid: str(e.iccidField) });
        break;
      case 'plan_change':
        out.push({ op: 'set_plan', plan: str(e.planField) });
        break;
      case 'deposit': {
        const v = values[e.amountField];
        const fen = typeof v === 'number' ? v : 0;
        out.push({ op: 'deposit', deltaFen: e.direction === 'add' ? fen : -fen });
        break;
      }
      case 'owner_change':
        out.push({ op: 'set_owner', customerId: str(e.customerField) });
        break;
      case 'contract': {
        const v = values[e.monthsField];
        const months = typeof v === 'number' ? v : monthsOf(String(v ?? ''));
        if (months !== null && months > 0) out.push({ op: 'contract', until: addMonths(today, months) });
        break;
      }
      case 'service_password':
        out.push({ op: 'service_password' });
        break;
      case 'customer_info':
        out.push({ op: 'customer_info', values: { ...values } });
        break;
    }
  }
  return out;
}

/**
 * A province's copy of a catalogue to edit: a deep copy under a new version id that records what it is based on.
 * The copy is checked with `validateCatalogue` before it is stored; versions are never changed once in force.
 */
export function copyCatalogue(base: Catalogue, versionId: string): Catalogue {
  return { versionId, basedOn: base.versionId, types: structuredClone(base.types) };
}

/** A business type of a catalogue by code. */
export function businessType(catalogue: Catalogue, code: string): BusinessType | undefined {
  return catalogue.types.find((x) => x.code === code);
}

/**
 * The business types matching what a clerk typed, best first: the pinyin initials (`xh` → 销号), the code, the
 * Chinese name, the English name. An empty query lists them all in catalogue order.
 */
export function searchCatalogue(
  catalogue: Catalogue,
  query: string,
  customerKind?: CustomerKind,
): BusinessType[] {
  const q = query.normalize('NFKC').trim();
  const upper = q.toUpperCase();
  const lower = q.toLowerCase();
  const scored: [number, number, BusinessType][] = [];
  catalogue.types.forEach((type, i) => {
    if (customerKind && !type.customerKinds.includes(customerKind)) return;
    let score: number | null = null;
    if (q === '') score = 0;
    else if (type.pinyin === upper) score = 0;
    else if (type.pinyin.startsWith(upper)) score = 1;
    else if (type.zh.includes(q)) score = 2;
    else if (type.code.includes(lower)) score = 3;
    else if (type.pinyin.includes(upper)) score = 4;
    else if (type.en.toLowerCase().includes(lower)) score = 5;
    if (score !== null) scored.push([score, i, type]);
  });
  return scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((s) => s[2]);
}
