/**
 * zod schemas of counter business acceptance (issue #13, SPEC §2.2): the catalogue in force, the visit
 * (一台清) with its transactions, payments and signed document (一单清), the counter's customer pad, repairs,
 * retention, the cash day and the data-quality indicators. Imported by the web console too.
 *
 * Personal data: ID numbers and phones are masked in every answer here (a reveal is the customers module's);
 * a phone typed in a business form is masked in the visit's lines and in the document.
 */
import { z } from 'zod';
import { ID_DOC_KIND_CODES } from '../../core/id-documents.ts';
import { PAYMENT_METHOD_CODES } from '../../core/visit-money.ts';
import { bi, Id, LocalDate, Phone } from '../../platform/contract.ts';
import { ClubTier, CustomerKind, SubscriptionKind, SubscriptionStatus } from '../customers/contract.ts';

export { CatalogueInForce, CatalogueQuery, RetentionOfferSchema } from '../catalogue/contract.ts';
export { NewRepair, Repair, RepairQuery, RepairStatus, RepairStep } from '../repairs/contract.ts';
export { DataQuality, DataQualityQuery, DataQualityRecords } from '../data-quality/contract.ts';

// -- The visit -------------------------------------------------------------------------------------------

export const VisitStatus = z.enum(['open', 'signed', 'closed', 'voided']);

export const VisitSubscription = z.object({
  id: Id,
  kind: SubscriptionKind,
  /** Masked (186****1234). */
  number: z.string(),
  plan: z.string(),
  status: SubscriptionStatus,
  /** Masked ICCID (last 4), or null. */
  iccid: z.string().nullable(),
  depositFen: z.number().int(),
  contractUntil: LocalDate.nullable(),
  subsidyUntil: LocalDate.nullable(),
  servicePassword: z.enum(['none', 'initial', 'set', 'locked']),
});

export const VisitCustomer = z.object({
  id: Id,
  kind: CustomerKind,
  /** Masked (张*). */
  name: z.string(),
  idDocKind: z.enum(ID_DOC_KIND_CODES),
  /** Masked. */
  idDocNumber: z.string(),
  /** Masked. */
  contactPhone: z.string(),
  clubTier: ClubTier,
  subscriptions: z.array(VisitSubscription),
});

export const FieldValue = z.union([z.string(), z.number(), z.boolean()]);

export const VisitLine = z.object({
  id: Id,
  seq: z.number().int(),
  businessCode: z.string(),
  businessZh: z.string(),
  businessEn: z.string(),
  light: z.boolean(),
  subscriptionId: Id.nullable(),
  /** Masked. */
  subscriptionNumber: z.string().nullable(),
  /** The form's values (phones masked). */
  values: z.record(z.string(), FieldValue),
  feeFen: z.number().int(),
  identityMethod: z.enum(['id_document', 'password', 'none']),
  strict: z.boolean(),
  retention: z.object({ offered: z.array(z.string()), accepted: z.string().nullable() }).nullable(),
  status: z.enum(['done', 'removed']),
  enteredAt: z.string(),
});
export type VisitLine = z.infer<typeof VisitLine>;

export const VisitPayment = z.object({
  id: Id,
  method: z.enum(PAYMENT_METHOD_CODES),
  amountFen: z.number().int(),
  tenderedFen: z.number().int().nullable(),
  changeFen: z.number().int(),
  at: z.string(),
});

export const VisitTotals = z.object({
  totalFen: z.number().int(),
  paidFen: z.number().int(),
  /** Still to pay (positive) or to pay out (negative); 0 when settled. */
  balanceFen: z.number().int(),
  settled: z.boolean(),
});

export const VisitDocumentRef = z.object({
  id: Id,
  sha256: z.string(),
  signedAt: z.string(),
  copies: z.number().int(),
  voidedAt: z.string().nullable(),
  /** The manager's reason for voiding, or null. */
  voidReason: z.string().nullable(),
  replaces: Id.nullable(),
});

/** What the clerk asked the counter's pad for and is waiting on (cleared when answered, signed or closed). */
export const VisitPadRequest = z.object({
  kind: z.enum(['password', 'signature']),
  /** The subscription whose service password is asked, or null (the signature). */
  subscriptionId: Id.nullable(),
  /** Its number, masked, or null. */
  number: z.string().nullable(),
  at: z.string(),
});

/** A correction of a signed line (indicator 3 of 2§3.7): the field, the values (masked), who found it. */
export const VisitCorrection = z.object({
  id: Id,
  lineId: Id,
  field: z.string(),
  /** Masked. */
  before: FieldValue.nullable(),
  /** Masked. */
  after: FieldValue.nullable(),
  reason: z.string(),
  foundBy: z.enum(['self', 'audit', 'complaint', 'customer']),
  /** The staff member who found it (`self`), or null. */
  foundByName: z.string().nullable(),
  foundAt: z.string(),
  recordedByName: z.string().nullable(),
});

export const Visit = z.object({
  id: Id,
  hallId: Id,
  hallName: z.string(),
  counterId: Id,
  counterName: z.string(),
  ticketId: Id.nullable(),
  ticketNumber: z.string().nullable(),
  staffName: z.string(),
  status: VisitStatus,
  catalogueVersion: z.string(),
  customer: VisitCustomer.nullable(),
  /** What was pre-registered on the floor (预登记) for the ticket: business names, masked ID. */
  preRegistered: z
    .object({ business: z.array(z.string()), idDocKind: z.string(), idDocNumber: z.string() })
    .nullable(),
  /** The pad verified the service password of this subscription in this visit. */
  passwordVerifiedFor: Id.nullable(),
  /** The pad request still waiting for the customer (open visits only), or null. */
  padRequest: VisitPadRequest.nullable(),
  lines: z.array(VisitLine),
  /** Corrections of signed lines, oldest first. */
  corrections: z.array(VisitCorrection),
  payments: z.array(VisitPayment),
  totals: VisitTotals,
  document: VisitDocumentRef.nullable(),
  openedAt: z.string(),
  signedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type Visit = z.infer<typeof Visit>;

/** A new customer for a new account (开户), registered with the visit's first business. */
export const NewVisitCustomer = z.object({
  kind: CustomerKind,
  name: z.string().trim().min(2).max(80),
  idDocKind: z.enum(ID_DOC_KIND_CODES),
  idDocNumber: z.string().trim().min(5).max(40).describe('full-width digits and spaces are normalised'),
  idDocExpiresOn: LocalDate.optional(),
  contactPhone: Phone,
  address: z.string().trim().max(200).default(''),
});

export const OpenVisit = z
  .object({
    ticketId: Id.optional().describe('the called ticket; its counter and customer are taken from it'),
    counterId: Id.optional().describe('a walk-in at this counter (no ticket)'),
    customerId: Id.optional(),
  })
  .refine((v) => (v.ticketId === undefined) !== (v.counterId === undefined), {
    message: bi('请给出号票或柜台之一', 'Give either a ticket or a counter'),
  });
export type OpenVisit = z.infer<typeof OpenVisit>;

/** The customer of a visit, set before its first business: an existing one, or a new one for a new account. */
export const SetVisitCustomer = z
  .object({ customerId: Id.optional(), newCustomer: NewVisitCustomer.optional() })
  .refine((v) => (v.customerId === undefined) !== (v.newCustomer === undefined), {
    message: bi('请选择客户或登记新客户', 'Choose a customer or register a new one'),
  });

/** Find the customer at the counter: by phone or by the whole ID number (never by masked digits). */
export const CustomerSearch = z
  .object({
    phone: Phone.optional(),
    idDocNumber: z.string().trim().min(5).max(40).optional(),
  })
  .refine((v) => (v.phone === undefined) !== (v.idDocNumber === undefined), {
    message: bi('请输入手机号或证件号码之一', 'Give a phone number or an ID number'),
  });

/** What the customer shows for one piece of business (2§2.2.1). */
export const ShownIdentity = z.object({
  document: z
    .object({
      kind: z.enum(ID_DOC_KIND_CODES),
      number: z.string().trim().min(1).max(40),
      expiresOn: LocalDate.optional(),
    })
    .optional(),
  /** The service password, when the customer types it at the clerk's keypad (the pad is the usual way). */
  password: z
    .string()
    .regex(/^\d{6}$/, bi('服务密码为6位数字', 'The service password is 6 digits'))
    .optional(),
  /** The pad's verification of this visit is used. */
  usePadPassword: z.boolean().default(false),
  ownerInPerson: z.boolean().default(false),
});

export const AddTransaction = z.object({
  businessCode: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  subscriptionId: Id.optional(),
  values: z.record(z.string().max(40), FieldValue).default({}),
  identity: ShownIdentity.default({ usePadPassword: false, ownerInPerson: false }),
  /** A copy of the ID document for a new account: a JPEG or PNG data URL, at most 2 MB. */
  idCopy: z.string().max(2_800_000).optional(),
  /** The retention step before a cancellation: offers made, the one accepted (null: declined, go on). */
  retention: z
    .object({ offered: z.array(z.string().max(40)).max(10), accepted: z.string().max(40).nullable() })
    .optional(),
});
export type AddTransaction = z.infer<typeof AddTransaction>;

export const AddPayment = z.object({
  method: z.enum(PAYMENT_METHOD_CODES),
  amountFen: z.number().int(),
  tenderedFen: z.number().int().optional().describe('cash handed over (cash only); the change is given back'),
});

/** The customer's signature: a PNG data URL from the pad's canvas (at most 1 MB). */
export const SignVisit = z.object({
  signature: z
    .string()
    .max(1_400_000)
    .regex(
      /^data:image\/png;base64,[A-Za-z0-9+/=]+$/,
      bi('签名应为PNG图像', 'The signature must be a PNG image'),
    ),
});

export const VoidVisit = z.object({ reason: z.string().trim().min(2).max(200) });

/** A correction of a signed line's data: an error found (indicator 3 of 2§3.7). */
export const CorrectLine = z.object({
  field: z.string().max(40),
  value: FieldValue,
  reason: z.string().trim().min(2).max(200),
  foundBy: z.enum(['self', 'audit', 'complaint', 'customer']).describe('who found the error'),
});

export const VisitListQuery = z.object({
  hallId: Id.optional(),
  status: VisitStatus.optional(),
  date: LocalDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const VisitSummary = z.object({
  id: Id,
  hallId: Id,
  counterName: z.string(),
  ticketNumber: z.string().nullable(),
  staffName: z.string(),
  customerName: z.string(),
  status: VisitStatus,
  lines: z.number().int(),
  totalFen: z.number().int(),
  balanceFen: z.number().int(),
  openedAt: z.string(),
});

// -- The counter's customer pad (the counter's device, `device_rating_pad`) ---------------------------

export const PadVisit = z.object({
  /** The visit of the pad's counter awaiting the customer, or null. */
  visit: z
    .object({
      id: Id,
      status: VisitStatus,
      lines: z.array(z.object({ businessZh: z.string(), businessEn: z.string(), feeFen: z.number().int() })),
      totals: VisitTotals,
      /** The clerk asked the customer to type a service password (for this masked number). */
      passwordFor: z.object({ subscriptionId: Id, number: z.string() }).nullable(),
      /** The clerk asked the customer to sign. */
      awaitingSignature: z.boolean(),
      terms: z.object({ zh: z.string(), en: z.string() }),
    })
    .nullable(),
});

export const PadPassword = z.object({
  password: z.string().regex(/^\d{6}$/, bi('服务密码为6位数字', 'The service password is 6 digits')),
});

// -- The cash day ---------------------------------------------------------------------------------------

export const CashDay = z.object({
  hallId: Id,
  date: LocalDate,
  staffName: z.string(),
  visits: z.number().int(),
  receivedFen: z.number().int(),
  paidOutFen: z.number().int(),
  byMethod: z.record(z.enum(PAYMENT_METHOD_CODES), z.number().int()),
  cashFen: z.number().int(),
  closed: z
    .object({ countedCashFen: z.number().int(), differenceFen: z.number().int(), at: z.string() })
    .nullable(),
});

export const CloseCashDay = z.object({
  hallId: Id,
  countedCashFen: z.number().int().min(0).max(1_000_000_000),
});

// -- The document (一单清) ------------------------------------------------------------------------------

/**
 * What the signed document says: the snapshot stored with it (`visit_documents.content`) and rendered to the
 * PDF and the print page. The customer's ID number and every phone are masked; the signature is beside it.
 */
export const DocumentContent = z.object({
  operator: z.object({ zh: z.string(), en: z.string() }),
  /** The document's number as printed (the hall's code, the date and the visit's sequence). */
  documentNo: z.string(),
  hall: z.string(),
  counter: z.string(),
  clerk: z.string(),
  /** Local time of signing, `YYYY-MM-DD HH:mm`, and the zone. */
  signedAtLocal: z.string(),
  timeZone: z.string(),
  ticketNumber: z.string().nullable(),
  customer: z.object({
    name: z.string(),
    kind: CustomerKind,
    idDocKind: z.enum(ID_DOC_KIND_CODES),
    /** Masked. */
    idDocNumber: z.string(),
  }),
  lines: z.array(
    z.object({
      seq: z.number().int(),
      businessZh: z.string(),
      businessEn: z.string(),
      /** Masked, or null. */
      subscriptionNumber: z.string().nullable(),
      /** The form's values as the clerk saw them (labels of the business type; phones masked). */
      details: z.array(z.object({ zh: z.string(), en: z.string(), value: z.string() })),
      feeFen: z.number().int(),
    }),
  ),
  totalFen: z.number().int(),
  payments: z.array(
    z.object({
      method: z.enum(PAYMENT_METHOD_CODES),
      amountFen: z.number().int(),
      tenderedFen: z.number().int().nullable(),
      changeFen: z.number().int(),
    }),
  ),
  paidFen: z.number().int(),
  /** The terms the customer is to read before signing (业务受理须知). */
  terms: z.object({ zh: z.string(), en: z.string() }),
});
export type DocumentContent = z.infer<typeof DocumentContent>;

/** The stored document as the print page reads it: what it says, the signature, its hash, and which copy. */
export const VisitDocument = z.object({
  id: Id,
  visitId: Id,
  content: DocumentContent,
  /** The signature as a PNG data URL. */
  signature: z.string(),
  sha256: z.string(),
  signedAt: z.string(),
  /** Copies printed so far (0: only the original). */
  copies: z.number().int(),
  voidedAt: z.string().nullable(),
  replaces: Id.nullable(),
});

// -- Requests of the routes (added with the visit backend) ------------------------------------------------

/** The clerk asks the counter's pad for the service password of one subscription, or for the signature. */
export const PadRequestInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), subscriptionId: Id }),
  z.object({ kind: z.literal('signature') }),
]);

export const CashDayQuery = z.object({ hallId: Id, date: LocalDate.optional() });

export const CustomerSearchResult = z.object({ items: z.array(VisitCustomer) });
export const VisitList = z.object({ items: z.array(VisitSummary), total: z.number().int() });
