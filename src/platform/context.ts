import type { Db } from './db/index.ts';
import type { Actor } from './auth/policy.ts';
import { systemActor } from './auth/policy.ts';
import type { Clock } from './clock.ts';

/** What every command and query is given: the database, who acts, the clock, and where the call came from. */
export interface Ctx {
  db: Db;
  actor: Actor;
  clock: Clock;
  requestId: string;
  clientIp: string;
}

/** The context of work the system does itself (CLI, seeder, timers, benchmarks), acting from `unit`. */
export function systemContext(
  db: Db,
  clock: Clock,
  unit: { id: string; path: string; provinceId: string },
  name: string,
): Ctx {
  return { db, actor: systemActor(unit, name), clock, requestId: name, clientIp: '' };
}
