import { z } from 'zod';
import { ID_DOC_KIND_CODES } from '../../core/id-documents.ts';
import { Id, LocalDate, Phone } from '../../platform/contract.ts';

export const CustomerKind = z.enum(['individual', 'family', 'group']);
export const ClubTier = z
  .enum(['diamond', 'gold', 'silver', 'ordinary'])
  .describe('世界风俱乐部: 钻石卡/金卡/银卡/普通');
export const SubscriptionKind = z.enum(['mobile', 'fixed', 'broadband', 'data', 'value_added']);
export const SubscriptionStatus = z.enum(['active', 'suspended', 'cancelled']);

export const Subscription = z.object({
  id: Id,
  kind: SubscriptionKind,
  /** Masked in lists. */
  number: z.string(),
  plan: z.string(),
  status: SubscriptionStatus,
  since: LocalDate,
});
export type Subscription = z.infer<typeof Subscription>;

export const Customer = z.object({
  id: Id,
  unitId: Id,
  unitName: z.string(),
  kind: CustomerKind,
  name: z.string(),
  idDocKind: z.enum(ID_DOC_KIND_CODES),
  /** Masked (1101**********1234) unless revealed. */
  idDocNumber: z.string(),
  contactPhone: z.string(),
  address: z.string(),
  clubTier: ClubTier,
  is3g: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof Customer>;

export const CustomerDetail = Customer.extend({ subscriptions: z.array(Subscription) });
export type CustomerDetail = z.infer<typeof CustomerDetail>;

export const NewSubscription = z.object({
  kind: SubscriptionKind,
  number: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{5,20}$/, '号码格式不正确 ¦ Not a valid service number'),
  plan: z.string().trim().max(60).default(''),
  status: SubscriptionStatus.default('active'),
  since: LocalDate.optional(),
});
export type NewSubscription = z.infer<typeof NewSubscription>;

export const CreateCustomer = z.object({
  unitId: Id.describe('The unit that serves the customer'),
  kind: CustomerKind,
  name: z.string().trim().min(2).max(80).describe('客户姓名/单位名称'),
  idDocKind: z.enum(ID_DOC_KIND_CODES),
  idDocNumber: z.string().trim().toUpperCase().min(5).max(30),
  contactPhone: Phone,
  address: z.string().trim().max(200).default(''),
  clubTier: ClubTier.default('ordinary'),
  is3g: z.boolean().default(false),
  subscriptions: z.array(NewSubscription).max(20).default([]),
});
export type CreateCustomer = z.infer<typeof CreateCustomer>;

export const UpdateCustomer = z
  .object({
    name: z.string().trim().min(2).max(80),
    idDocKind: z.enum(ID_DOC_KIND_CODES),
    idDocNumber: z.string().trim().toUpperCase().min(5).max(30),
    contactPhone: Phone,
    address: z.string().trim().max(200),
    clubTier: ClubTier,
    is3g: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的内容 ¦ Nothing to change' });
export type UpdateCustomer = z.infer<typeof UpdateCustomer>;

export const UpdateSubscription = z
  .object({ plan: z.string().trim().max(60), status: SubscriptionStatus })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '没有要修改的内容 ¦ Nothing to change' });

export const CustomerQuery = z.object({
  q: z
    .string()
    .trim()
    .max(80)
    .optional()
    .describe('part of a name; or a whole phone, service or ID number (positions that may reveal; a reveal)'),
  tier: ClubTier.optional(),
  kind: CustomerKind.optional(),
  unitId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CustomerQuery = z.infer<typeof CustomerQuery>;

/** What the queue needs to know of a phone number: tier and 3G flag (no personal data). */
export const PhoneLookup = z.object({
  found: z.boolean(),
  customerId: Id.nullable(),
  kind: CustomerKind.nullable(),
  clubTier: ClubTier.nullable(),
  is3g: z.boolean(),
  /** Masked name, e.g. 张*。 */
  displayName: z.string(),
});
export type PhoneLookup = z.infer<typeof PhoneLookup>;

/** The phone lookup of the API: what queue priority needs, no name and no id. */
export const QueueLookup = z.object({
  found: z.boolean(),
  clubTier: ClubTier.nullable(),
  is3g: z.boolean(),
});
export type QueueLookup = z.infer<typeof QueueLookup>;

/** The full personal data of a customer, shown once to a position that needs it; the view is an event. */
export const Revealed = z.object({ idDocNumber: z.string(), contactPhone: z.string(), address: z.string() });
