/**
 * The identity rule of a transaction at the counter (2§2.2.1, checklist item 16), pure:
 *
 * - Every business needs a valid ID document of the owner or the service password; the initial (never
 *   changed) password is not enough. What a business type asks is in its catalogue entry (`identity`): an ID
 *   document, the password, either, or nothing (consultation, paying a bill, buying a handset).
 * - A new account (`opensAccount`) needs a valid ID document, and a copy of it is kept (`copyRequired`).
 * - The documents accepted are exactly those the norms list for the customer: a group its business licence; a
 *   person by origin (mainland, Taiwan, Hong Kong/Macao, military and police, foreigner), or any personal
 *   document when the origin is not known. A document is checked: its kind, its number (GB 11643 check digit
 *   and birth date for mainland ID numbers, GB 32100 for a credit code, the pattern of the others) after
 *   normalising what a clerk types (full-width digits and X, spaces, hyphens), its end of validity (required for
 *   the kinds that always have one), and, when the customer's record holds a document, that it is that one.
 * - The stricter check (严格审查) under a subsidy or contract period, before a business the catalogue marks
 *   `strictUnderContract` (cancellation, transfer, changes): a valid ID document of the owner is required —
 *   the password alone is not enough, whatever the business type asks otherwise — and the clerk confirms the
 *   owner (or a group's authorised representative) is there in person (`ownerInPerson`). The period runs to
 *   its end date inclusive.
 */
import type { BusinessType, CustomerKind, Bilingual } from './business-catalogue.ts';
import {
  acceptedDocKinds,
  DOC_KINDS_WITH_EXPIRY,
  ID_DOC_KINDS,
  idDocumentProblem,
  normaliseDocNumber,
  PERSON_ORIGINS,
} from './id-documents.ts';
import type { IdDocKind, PersonOrigin } from './id-documents.ts';

export interface ShownDocument {
  kind: IdDocKind;
  number: string;
  /** The last day of validity, YYYY-MM-DD; absent for a document valid for life. */
  expiresOn?: string;
}

export interface PasswordCheck {
  /** `initial`: the password given with the account and never changed. */
  state: 'initial' | 'set';
  /** The customer typed it on the pad and it matched (the module checks the hash and the lockout). */
  verified: boolean;
}

export interface IdentityInput {
  customerKind: CustomerKind;
  /** Where the person comes from; ignored for a group; absent when not known. */
  origin?: PersonOrigin;
  businessType: Pick<
    BusinessType,
    'code' | 'zh' | 'en' | 'customerKinds' | 'identity' | 'opensAccount' | 'strictUnderContract'
  >;
  document?: ShownDocument;
  /** The document on the customer's record: the one shown must be it (the owner's). Absent for a new customer. */
  registered?: { kind: IdDocKind; number: string };
  password?: PasswordCheck;
  /** The subscription the business acts on: its subsidy and contract periods (last day, YYYY-MM-DD). */
  subscription?: { subsidyUntil?: string | null; contractUntil?: string | null };
  /** The clerk confirms the owner (a group's authorised representative) is at the counter in person. */
  ownerInPerson?: boolean;
  /** The local date, YYYY-MM-DD. */
  today: string;
}

export type ReasonCode =
  | 'kind_not_allowed'
  | 'doc_missing'
  | 'doc_kind_not_accepted'
  | 'doc_number_invalid'
  | 'doc_expiry_missing'
  | 'doc_expiry_invalid'
  | 'doc_expired'
  | 'doc_not_owner'
  | 'password_missing'
  | 'password_initial'
  | 'password_not_verified'
  | 'password_not_enough'
  | 'identity_missing'
  | 'contract_period'
  | 'owner_not_in_person';

export interface Reason extends Bilingual {
  code: ReasonCode;
}

export type Requirement =
  'allowed_customer_kind' | 'id_document' | 'password' | 'id_document_or_password' | 'owner_in_person';

export interface IdentityDecision {
  allowed: boolean;
  /** How the customer was identified when allowed. */
  method: 'id_document' | 'password' | 'none' | null;
  /** A copy of the document is kept (a new account). */
  copyRequired: boolean;
  /** The stricter check applied (a subsidy or contract period), and the period's last day. */
  strict: boolean;
  strictUntil: string | null;
  /** What is still missing, for the form to ask. Empty when allowed. */
  missing: Requirement[];
  /** Why it was refused, in order. Empty when allowed. */
  reasons: Reason[];
  /** Problems that did not decide (a wrong document when the password identified the customer). */
  warnings: Reason[];
  /** The documents this customer may show, in the norms' order. */
  acceptedDocKinds: IdDocKind[];
  /** The document number as checked and to be stored (normalised), when one was shown. */
  documentNumber: string | null;
  /** One message for the clerk (and a problem+json): the reasons, then the documents this customer may show. */
  message: Bilingual;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function realDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const WHO_EN: Record<PersonOrigin, string> = {
  mainland: 'A mainland resident',
  taiwan: 'A Taiwan resident',
  hk_macao: 'A Hong Kong or Macao resident',
  military: 'A member of the military or police',
  foreign: 'A foreigner',
};

/** Who this customer is, for the sentence listing the documents. */
function whoZhEn(customerKind: CustomerKind, origin: PersonOrigin | undefined): Bilingual {
  if (customerKind === 'group') return { zh: '集团客户', en: 'A group' };
  if (origin === undefined) return { zh: '个人客户', en: 'A person' };
  return { zh: PERSON_ORIGINS[origin].zh, en: WHO_EN[origin] };
}

export function docListText(kinds: readonly IdDocKind[]): Bilingual {
  return {
    zh: kinds.map((k) => ID_DOC_KINDS[k].zh).join('、'),
    en: kinds.map((k) => ID_DOC_KINDS[k].en).join(', '),
  };
}

/** The last day of the subsidy or contract period still running today, or null. */
export function periodRunning(subscription: IdentityInput['subscription'], today: string): string | null {
  const ends = [subscription?.subsidyUntil, subscription?.contractUntil].filter(
    (d): d is string => typeof d === 'string' && d >= today,
  );
  return ends.length === 0 ? null : ends.sort().at(-1)!;
}

/** The problems of a shown document, for this customer, today. */
export function documentProblems(
  document: ShownDocument,
  accepted: readonly IdDocKind[],
  who: Bilingual,
  today: string,
  registered?: { kind: IdDocKind; number: string },
): Reason[] {
  const out: Reason[] = [];
  const name = ID_DOC_KINDS[document.kind];
  if (!accepted.includes(document.kind)) {
    const list = docListText(accepted);
    out.push({
      code: 'doc_kind_not_accepted',
      zh: `${who.zh}不能以${name.zh}办理业务（可出示：${list.zh}）`,
      en: `${who.en} cannot identify with a ${name.en} (accepted: ${list.en})`,
    });
  }
  const numberProblem = idDocumentProblem(document.kind, document.number, today);
  if (numberProblem) out.push({ code: 'doc_number_invalid', ...numberProblem });
  if (document.expiresOn === undefined || document.expiresOn === '') {
    if (DOC_KINDS_WITH_EXPIRY.has(document.kind))
      out.push({
        code: 'doc_expiry_missing',
        zh: `请录入${name.zh}的有效期截止日期`,
        en: `Enter the date the ${name.en} expires`,
      });
  } else if (!realDate(document.expiresOn)) {
    out.push({
      code: 'doc_expiry_invalid',
      zh: '证件有效期应为有效日期（YYYY-MM-DD）',
      en: 'The expiry date is not a date (YYYY-MM-DD)',
    });
  } else if (document.expiresOn < today) {
    out.push({
      code: 'doc_expired',
      zh: `${name.zh}已于 ${document.expiresOn} 过期`,
      en: `The ${name.en} expired on ${document.expiresOn}`,
    });
  }
  if (
    registered &&
    (registered.kind !== document.kind ||
      normaliseDocNumber(registered.number) !== normaliseDocNumber(document.number))
  )
    out.push({
      code: 'doc_not_owner',
      zh: '所出示证件与机主登记的证件不符',
      en: 'The document shown is not the one registered for the owner',
    });
  return out;
}

/**
 * Whether a transaction may be done on the identity shown: allowed or refused, with the bilingual reasons, what
 * is missing and which documents this customer may show.
 */
export function identityDecision(input: IdentityInput): IdentityDecision {
  const { customerKind, businessType: type, today } = input;
  const origin = customerKind === 'group' ? undefined : input.origin;
  const accepted = acceptedDocKinds(customerKind, origin);
  const who = whoZhEn(customerKind, origin);
  const list = docListText(accepted);
  const strictUntil = type.strictUnderContract ? periodRunning(input.subscription, today) : null;
  const strict = strictUntil !== null;
  const copyRequired = type.opensAccount;
  const documentNumber = input.document ? normaliseDocNumber(input.document.number) : null;
  const refuse = (reasons: Reason[], missing: Requirement[], warnings: Reason[] = []): IdentityDecision => {
    const asksForDocument = missing.includes('id_document') || missing.includes('id_document_or_password');
    const tail =
      asksForDocument && !reasons.some((r) => r.code === 'doc_kind_not_accepted')
        ? { zh: `${who.zh}可出示：${list.zh}`, en: `${who.en} may show: ${list.en}` }
        : null;
    return {
      allowed: false,
      method: null,
      copyRequired,
      strict,
      strictUntil,
      missing,
      reasons,
      warnings,
      acceptedDocKinds: accepted,
      documentNumber,
      message: {
        zh: [...reasons.map((r) => r.zh), ...(tail ? [tail.zh] : [])].join('；'),
        en: [...reasons.map((r) => r.en), ...(tail ? [tail.en] : [])].join('; '),
      },
    };
  };

  if (!type.customerKinds.includes(customerKind)) {
    const kindZh = { individual: '个人客户', family: '家庭客户', group: '集团客户' }[customerKind];
    return refuse(
      [
        {
          code: 'kind_not_allowed',
          zh: `${kindZh}不能办理${type.zh}`,
          en: `${type.en} is not available to ${customerKind} customers`,
        },
      ],
      ['allowed_customer_kind'],
    );
  }

  const docReasons = input.document
    ? documentProblems(input.document, accepted, who, today, input.registered)
    : [];
  const docValid = input.document !== undefined && docReasons.length === 0;
  const pwReasons: Reason[] = [];
  if (input.password?.state === 'initial')
    pwReasons.push({
      code: 'password_initial',
      zh: '初始密码不能用于办理业务，请客户先出示证件修改密码',
      en: 'The initial password does not identify the customer; they change it first with an ID document',
    });
  else if (input.password && !input.password.verified)
    pwReasons.push({
      code: 'password_not_verified',
      zh: '服务密码验证未通过',
      en: 'The service password did not match',
    });
  const pwValid = input.password?.state === 'set' && input.password.verified;

  const needDocument = type.opensAccount || type.identity === 'id_document' || strict;
  const needPassword = type.identity === 'password';
  const needEither = type.identity === 'either' && !needDocument;
  const needInPerson = strict;

  const reasons: Reason[] = [];
  const missing: Requirement[] = [];
  if (strict)
    reasons.push({
      code: 'contract_period',
      zh: `号码处于补贴/合约期（至 ${strictUntil}），办理${type.zh}须严格审查：机主本人持有效身份证件到场`,
      en: `The subscription is in a subsidy or contract period until ${strictUntil}: ${type.en} needs the owner in person with a valid ID document`,
    });
  if (needDocument && !docValid) {
    missing.push('id_document');
    if (!input.document) {
      if (pwValid)
        reasons.push({
          code: 'password_not_enough',
          zh: type.opensAccount
            ? '新入网须出示有效身份证件原件并留存复印件，服务密码不能代替'
            : `${type.zh}须出示有效身份证件原件，服务密码不能代替`,
          en: type.opensAccount
            ? 'A new account needs the original of a valid ID document, and a copy is kept; a password does not do'
            : `${type.en} needs the original of a valid ID document; a password does not do`,
        });
      else
        reasons.push({
          code: 'doc_missing',
          zh: type.opensAccount
            ? '新入网须出示有效身份证件原件，并留存复印件'
            : `${type.zh}须出示机主有效身份证件原件`,
          en: type.opensAccount
            ? 'A new account needs the original of a valid ID document, and a copy is kept'
            : `${type.en} needs the original of a valid ID document of the owner`,
        });
    } else reasons.push(...docReasons);
    if (!pwValid && !needPassword) reasons.push(...pwReasons);
  }
  if (needPassword && !pwValid) {
    missing.push('password');
    if (!input.password)
      reasons.push({
        code: 'password_missing',
        zh: `${type.zh}须验证服务密码（初始密码除外）`,
        en: `${type.en} needs the service password (not the initial one)`,
      });
    else reasons.push(...pwReasons);
  }
  if (needEither && !docValid && !pwValid) {
    missing.push('id_document_or_password');
    if (!input.document && !input.password)
      reasons.push({
        code: 'identity_missing',
        zh: `${type.zh}须出示机主有效身份证件或验证服务密码（初始密码除外）`,
        en: `${type.en} needs a valid ID document of the owner or the service password (not the initial one)`,
      });
    else reasons.push(...docReasons, ...pwReasons);
  }
  if (needInPerson && input.ownerInPerson !== true) {
    missing.push('owner_in_person');
    reasons.push({
      code: 'owner_not_in_person',
      zh: '请确认机主本人（集团客户为授权经办人）在场',
      en: 'Confirm the owner (for a group, its authorised representative) is here in person',
    });
  }

  if (missing.length > 0) return refuse(reasons, missing);

  const warnings = [...(docValid ? [] : docReasons), ...(pwValid ? [] : pwReasons)];
  const method = needDocument
    ? 'id_document'
    : needPassword
      ? 'password'
      : needEither
        ? docValid
          ? 'id_document'
          : 'password'
        : 'none';
  return {
    allowed: true,
    method,
    copyRequired,
    strict,
    strictUntil,
    missing: [],
    reasons: [],
    warnings,
    acceptedDocKinds: accepted,
    documentNumber,
    message: { zh: '身份核验通过', en: 'Identity checked' },
  };
}
