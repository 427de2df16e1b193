/** zod schemas of the business catalogue (2§2.1): the catalogue in force for a unit and a province's versions. */
import { z } from 'zod';
import { BusinessTypeSchema, CUSTOMER_KINDS } from '../../core/business-catalogue.ts';
import { Id } from '../../platform/contract.ts';
import { ClubTier } from '../customers/contract.ts';

// -- The catalogue -----------------------------------------------------------------------------------

export const RetentionOfferSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  zh: z.string().min(1).max(60),
  en: z.string().min(1).max(120),
  tiers: z.array(ClubTier).min(1),
});

export const CatalogueInForce = z.object({
  /** The province (or headquarters) whose version is in force for the caller. */
  unitId: Id,
  versionId: z.string(),
  basedOn: z.string().nullable(),
  types: z.array(BusinessTypeSchema),
  retentionOffers: z.array(RetentionOfferSchema),
});
export type CatalogueInForce = z.infer<typeof CatalogueInForce>;

export const CatalogueQuery = z.object({
  q: z.string().trim().max(40).optional().describe('name, code or pinyin initials (xh → 销号)'),
  customerKind: z.enum(CUSTOMER_KINDS).optional(),
  unitId: Id.optional().describe('the hall or province; by default the caller’s'),
});

/** A province stores a new version of its catalogue (validated by `validateCatalogue`). */
export const NewCatalogueVersion = z.object({
  unitId: Id.describe('the province'),
  versionId: z.string().regex(/^[A-Za-z0-9._-]{1,60}$/),
  basedOn: z.string().max(60).nullable(),
  types: z.array(BusinessTypeSchema).min(1).max(500),
  retentionOffers: z.array(RetentionOfferSchema).max(50).default([]),
});

export const CatalogueVersionSummary = z.object({
  unitId: Id,
  versionId: z.string(),
  basedOn: z.string().nullable(),
  types: z.number().int(),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
  inForce: z.boolean(),
});
