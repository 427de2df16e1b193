/**
 * Valid identity documents by customer kind (2§2.2.1) and the checks on their numbers: mainland
 * residents — ID card (checksum ISO 7064 MOD 11-2 and birth date), temporary ID card, passport with
 * ID number, household register, household certificate; Taiwan residents — 台胞证 or passport;
 * Hong Kong/Macao residents — ID card, 回乡证, 港澳通行证, passport; military and police — 士兵证,
 * 驻港部队证, 警官证; foreigners — passport; groups — business licence (unified social credit code).
 */
export const ID_DOC_KINDS = {
  resident_id: { zh: '居民身份证', en: 'Resident ID card', origin: 'mainland' },
  temporary_id: { zh: '临时居民身份证', en: 'Temporary ID card', origin: 'mainland' },
  passport_with_id: { zh: '护照（含身份证号）', en: 'Passport with ID number', origin: 'mainland' },
  household_register: { zh: '户口簿（带照片）', en: 'Household register with photo', origin: 'mainland' },
  household_certificate: {
    zh: '户籍证明（盖章）',
    en: 'Household certificate with seal',
    origin: 'mainland',
  },
  taiwan_permit: { zh: '台胞证', en: 'Mainland travel permit for Taiwan residents', origin: 'taiwan' },
  hk_macao_id: { zh: '港澳居民身份证', en: 'Hong Kong/Macao ID card', origin: 'hk_macao' },
  home_return_permit: { zh: '回乡证', en: 'Home-return permit', origin: 'hk_macao' },
  hk_macao_pass: { zh: '港澳通行证', en: 'Exit-entry permit to HK/Macao', origin: 'hk_macao' },
  soldier_id: { zh: '士兵证', en: 'Soldier ID', origin: 'military' },
  garrison_id: { zh: '驻港部队证', en: 'HK garrison ID', origin: 'military' },
  police_id: { zh: '警官证', en: 'Police officer ID', origin: 'military' },
  passport: { zh: '护照', en: 'Passport', origin: 'any' },
  business_licence: {
    zh: '营业执照（统一社会信用代码）',
    en: 'Business licence (credit code)',
    origin: 'group',
  },
} as const satisfies Record<string, { zh: string; en: string; origin: string }>;

export type IdDocKind = keyof typeof ID_DOC_KINDS;
export const ID_DOC_KIND_CODES = Object.keys(ID_DOC_KINDS) as [IdDocKind, ...IdDocKind[]];

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character of the first 17 digits of an 18-digit resident ID number. */
export function residentIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** A real calendar date from 1900 on, and not after `today` (YYYY-MM-DD) when it is given. */
function validBirthDate(yyyymmdd: string, today?: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (today !== undefined && yyyymmdd > today.replace(/-/g, '')) return false;
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of a unified social credit code (GB 32100-2015). */
export function creditCodeCheck(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

const PATTERNS: Partial<Record<IdDocKind, RegExp>> = {
  taiwan_permit: /^\d{8}$|^\d{10}$/,
  hk_macao_id: /^[A-Z]{1,2}\d{6}\(?[0-9A]\)?$|^[157]\d{6}\(?\d\)?$/,
  home_return_permit: /^[HM]\d{8}(\d{2})?$/,
  hk_macao_pass: /^C[A-Z0-9]\d{7}$/,
  soldier_id: /^[A-Z0-9\u4e00-\u9fa5]{6,20}$/,
  garrison_id: /^[A-Z0-9\u4e00-\u9fa5]{6,20}$/,
  police_id: /^[A-Z0-9\u4e00-\u9fa5]{6,20}$/,
  passport: /^[A-Z0-9]{5,17}$/,
};

/**
 * A document number as a clerk may type it, in the form it is checked and stored in: full-width digits,
 * letters and brackets made half-width (NFKC, so `１１０１…Ｘ` → `1101…X`), every space (ASCII, ideographic,
 * no-break) and hyphen or dash (`-`, `－`, `‐`, `–`, `—`) removed, letters upper-cased.
 */
export function normaliseDocNumber(number: string): string {
  return number
    .normalize('NFKC')
    .replace(/[\s\u00a0\u3000\u200b-]+/g, '')
    .replace(/[\u2010-\u2015\u2212\ufe63\uff0d]/g, '')
    .toUpperCase();
}

/**
 * What is wrong with a document number for its kind, or null when it passes the checks; with `today`
 * (the local date, YYYY-MM-DD) a birth date after it is refused too. The number is normalised first
 * (`normaliseDocNumber`): full-width characters, spaces and hyphens are not what makes a number wrong.
 */
export function idDocumentProblem(
  kind: IdDocKind,
  number: string,
  today?: string,
): { zh: string; en: string } | null {
  const n = normaliseDocNumber(number);
  if (
    [
      'resident_id',
      'temporary_id',
      'passport_with_id',
      'household_register',
      'household_certificate',
    ].includes(kind)
  ) {
    if (!/^\d{17}[\dX]$/.test(n)) return { zh: '身份证号码应为18位', en: 'An ID number has 18 characters' };
    if (!validBirthDate(n.slice(6, 14), today))
      return { zh: '身份证号码中的出生日期无效', en: 'The birth date in the ID number is invalid' };
    if (residentIdCheck(n.slice(0, 17)) !== n[17])
      return { zh: '身份证号码校验位错误', en: 'The ID number check digit is wrong' };
    return null;
  }
  if (kind === 'business_licence') {
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(n))
      return { zh: '统一社会信用代码应为18位', en: 'A credit code has 18 characters' };
    if (creditCodeCheck(n.slice(0, 17)) !== n[17])
      return { zh: '统一社会信用代码校验位错误', en: 'The credit code check character is wrong' };
    return null;
  }
  const pattern = PATTERNS[kind];
  if (pattern && !pattern.test(n))
    return {
      zh: `${ID_DOC_KINDS[kind].zh}号码格式不正确`,
      en: `Not a valid ${ID_DOC_KINDS[kind].en} number`,
    };
  return null;
}

/** Where a person comes from, as the norms (2§2.2.1) list the documents: the customer's origin. */
export const PERSON_ORIGINS = {
  mainland: { zh: '国内居民', en: 'Mainland resident' },
  taiwan: { zh: '台湾同胞', en: 'Taiwan resident' },
  hk_macao: { zh: '港、澳居民', en: 'Hong Kong/Macao resident' },
  military: { zh: '军官、警官、志愿兵、士兵', en: 'Military or police' },
  foreign: { zh: '外籍人士', en: 'Foreigner' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type PersonOrigin = keyof typeof PERSON_ORIGINS;
export const PERSON_ORIGIN_CODES = Object.keys(PERSON_ORIGINS) as [PersonOrigin, ...PersonOrigin[]];

/** The documents the norms (2§2.2.1) accept from a person of each origin, in the norms' order. */
export const DOC_KINDS_BY_ORIGIN: Readonly<Record<PersonOrigin, readonly IdDocKind[]>> = {
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

/**
 * Document kinds that always carry an end of validity, so the clerk must enter it: a temporary ID card (three
 * months), passports and travel permits. A resident ID card may be valid for life (长期), a household register
 * or a Hong Kong permanent ID card has no end date; for those the date is checked when it is given.
 */
export const DOC_KINDS_WITH_EXPIRY: ReadonlySet<IdDocKind> = new Set<IdDocKind>([
  'temporary_id',
  'passport_with_id',
  'passport',
  'taiwan_permit',
  'home_return_permit',
  'hk_macao_pass',
]);

/**
 * The origin a document kind shows, or null for a passport (Taiwan, Hong Kong/Macao or a foreigner) and a
 * business licence (not a person).
 */
export function originOfDocKind(kind: IdDocKind): PersonOrigin | null {
  const origins = PERSON_ORIGIN_CODES.filter((o) => DOC_KINDS_BY_ORIGIN[o].includes(kind));
  return origins.length === 1 ? origins[0]! : null;
}

/**
 * The documents a customer may identify with: a group by its business licence; a person of a known origin by
 * exactly the documents the norms list for that origin; a person of unknown origin by any personal document.
 */
export function acceptedDocKinds(
  customerKind: 'individual' | 'family' | 'group',
  origin?: PersonOrigin,
): IdDocKind[] {
  if (customerKind === 'group' || origin === undefined) return docKindsFor(customerKind);
  return [...DOC_KINDS_BY_ORIGIN[origin]];
}

/** Document kinds a customer of a kind may identify with: groups by licence, people by personal documents. */
export function docKindsFor(customerKind: 'individual' | 'family' | 'group'): IdDocKind[] {
  return ID_DOC_KIND_CODES.filter((k) => (customerKind === 'group') === (k === 'business_licence'));
}
