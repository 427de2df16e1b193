/**
 * Read caches of rows that are read on every request and change rarely: who a token acts as, units,
 * settings, a hall's queue configuration and schedule. They live per open database (the server turns
 * them on for its own; the CLI and scripts read directly) and are kept honest by the event log: when a
 * command commits, the caches its events name are emptied at once on this instance, and on the others
 * when the event's notification arrives (milliseconds later). An entry also expires after `ttlMs`, so a
 * change made without an event, or a notification lost while the listener reconnects, is seen within
 * that time. So a command that changes what a cache holds must append an event whose action the cache's
 * spec names (`unit.*`, `setting.*`, `queue.configured`, …).
 */
import type { Db, DbOrTx } from './db/index.ts';
import type { EventNotice } from './events.ts';

export interface CacheSpec {
  name: string;
  /** Whether an event (by its action, e.g. `unit.updated`) may have changed what the cache holds. */
  droppedBy: (action: string) => boolean;
  /** At most this long between reading an entry from the database and reading it again. */
  ttlMs: number;
}

/** A spec dropped by every action that starts with one of `prefixes` (`'setting.'`, `'unit.updated'`). */
export function cacheSpec(name: string, prefixes: readonly string[], ttlMs = 30_000): CacheSpec {
  return { name, ttlMs, droppedBy: (action) => prefixes.some((p) => action.startsWith(p)) };
}

const MAX_ENTRIES = 20_000;

class Store {
  readonly entries = new Map<string, { until: number; value: unknown }>();
  /** Counts the drops, so that a load that began before a drop does not store what it read. */
  generation = 0;

  empty(): void {
    this.entries.clear();
    this.generation++;
  }
}

/** The caches of one database. */
export class Caches {
  private readonly stores = new Map<CacheSpec, Store>();

  store(spec: CacheSpec): Store {
    let s = this.stores.get(spec);
    if (!s) this.stores.set(spec, (s = new Store()));
    return s;
  }

  /** Empties the caches that these events may have changed. */
  drop(actions: readonly string[]): void {
    for (const [spec, s] of this.stores) if (actions.some((a) => spec.droppedBy(a))) s.empty();
  }

  /** Empties every cache (the listener reconnected: notifications may have been missed). */
  dropAll(): void {
    for (const s of this.stores.values()) s.empty();
  }
}

/** The caches of a database, or of the database a command's transaction runs on (with what it stored). */
interface Binding {
  caches: Caches;
  stored?: [Store, string][];
}

const bindings = new WeakMap<object, Binding>();

/** Turns the read caches on for a database; answers the caches (the same ones when called again). */
export function enableCaches(db: Db): Caches {
  let binding = bindings.get(db);
  if (!binding) bindings.set(db, (binding = { caches: new Caches() }));
  return binding.caches;
}

/** Lets reads inside a command's transaction use the caches of the database it runs on. */
export function shareCaches(tx: DbOrTx, db: Db): void {
  const binding = bindings.get(db);
  if (binding) bindings.set(tx, { caches: binding.caches, stored: [] });
}

/**
 * The transaction rolled back: what its reads stored may have been its own uncommitted writes, so it is
 * forgotten.
 */
export function forgetStored(tx: DbOrTx): void {
  for (const [store, key] of bindings.get(tx)?.stored ?? []) store.entries.delete(key);
}

/** Empties what the committed events may have changed in the caches of `db` (if it has any). */
export function dropCached(db: Db, notices: readonly Pick<EventNotice, 'action'>[]): void {
  if (notices.length > 0) bindings.get(db)?.caches.drop(notices.map((n) => n.action));
}

/**
 * The value for `key`, from the cache of `db` when it has one and the entry is fresh, else from `load`
 * (which reads through `db`, so inside a transaction it reads what the transaction sees). A load that
 * throws is not kept.
 */
export async function cached<V>(
  db: DbOrTx,
  spec: CacheSpec,
  key: string,
  load: () => Promise<V>,
): Promise<V> {
  const binding = bindings.get(db);
  if (!binding) return load();
  const store = binding.caches.store(spec);
  const now = Date.now();
  const hit = store.entries.get(key);
  if (hit && hit.until > now) return hit.value as V;
  const generation = store.generation;
  const value = await load();
  if (store.generation === generation) {
    if (store.entries.size >= MAX_ENTRIES) store.entries.clear();
    store.entries.set(key, { until: now + spec.ttlMs, value });
    binding.stored?.push([store, key]);
  }
  return value;
}
