import { z } from 'zod';
import { Id } from '../../platform/contract.ts';

export const AuditQuery = z.object({
  action: z
    .string()
    .trim()
    .max(80)
    .optional()
    .describe('exact action, or a prefix ending in "." (e.g. "auth.")'),
  subjectType: z.string().trim().max(40).optional(),
  subjectId: z.string().trim().max(80).optional(),
  actorId: Id.optional(),
  unitId: Id.optional().describe('events of this unit and its subtree'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEvent = z.object({
  id: Id,
  at: z.string(),
  actorId: z.string().nullable(),
  actorKind: z.string(),
  actorName: z.string(),
  unitId: Id,
  unitName: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string(),
  clientIp: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
