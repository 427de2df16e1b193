import type { Db } from './db/index.ts';
import type { Actor } from './auth/policy.ts';
import type { Clock } from './clock.ts';

/** What every command and query is given: the database, who acts, the clock, and where the call came from. */
export interface Ctx {
  db: Db;
  actor: Actor;
  clock: Clock;
  requestId: string;
  clientIp: string;
}
