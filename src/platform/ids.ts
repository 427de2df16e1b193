import { v7 } from 'uuid';

/** A new time-ordered id (UUID v7), made in the application so migrations run on PostgreSQL 14–18 alike. */
export function newId(): string {
  return v7();
}
