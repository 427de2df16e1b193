/**
 * The business catalogue's versions (2§2.1): headquarters' built-in catalogue in code, and the versions a
 * province (or headquarters) stores, each never changed once stored.
 */
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { BusinessType } from '../../core/business-catalogue.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A retention offer (挽留方案, 2§2.1.6) a province configures for the club tiers it is for. */
export interface RetentionOffer {
  code: string;
  zh: string;
  en: string;
  /** Club tiers the offer is for (diamond, gold, silver, ordinary). */
  tiers: ('diamond' | 'gold' | 'silver' | 'ordinary')[];
}

/**
 * A version of a province's business catalogue (2§2.1). A version is never changed once stored; a new one is
 * stored instead, and the newest not retired is in force. Headquarters' built-in catalogue
 * (`BUILTIN_CATALOGUE`) is in force for a province that has stored none.
 */
export const catalogueVersions = pgTable(
  'catalogue_versions',
  {
    /** The province (or headquarters) whose version it is. */
    unitId: uuid('unit_id').notNull(),
    versionId: text('version_id').notNull(),
    basedOn: text('based_on'),
    types: jsonb('types').$type<BusinessType[]>().notNull(),
    retentionOffers: jsonb('retention_offers').$type<RetentionOffer[]>().notNull().default([]),
    createdAt: ts('created_at').notNull(),
    createdBy: uuid('created_by'),
    /** Retired versions are no longer offered; a visit that started under one cannot add business to it. */
    retiredAt: ts('retired_at'),
  },
  (t) => [
    primaryKey({ columns: [t.unitId, t.versionId] }),
    index('catalogue_versions_unit_idx').on(t.unitId),
  ],
);
