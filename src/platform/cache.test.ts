/** The read caches: kept until an event names them or they expire; a load overtaken by a change is not kept. */
import { describe, expect, it } from 'vitest';
import type { Db, DbOrTx } from './db/index.ts';
import { cacheSpec, cached, dropCached, enableCaches, forgetStored, shareCaches } from './cache.ts';

const UNITS = cacheSpec('units', ['unit.'], 60_000);
const SETTINGS = cacheSpec('settings', ['setting.'], 60_000);

/** A stand-in database: the caches only use it as a key. */
const fakeDb = () => ({}) as unknown as Db;

function counter() {
  let loads = 0;
  return {
    load: (value: string) => async () => {
      loads++;
      return value;
    },
    get loads() {
      return loads;
    },
  };
}

describe('cached', () => {
  it('reads straight through a database without caches', async () => {
    const db = fakeDb();
    const c = counter();
    await cached(db, UNITS, 'a', c.load('x'));
    await cached(db, UNITS, 'a', c.load('x'));
    expect(c.loads).toBe(2);
  });

  it('keeps a value until an event of its kind commits; other events leave it', async () => {
    const db = fakeDb();
    enableCaches(db);
    const c = counter();
    expect(await cached(db, UNITS, 'a', c.load('one'))).toBe('one');
    expect(await cached(db, UNITS, 'a', c.load('two'))).toBe('one');
    dropCached(db, [{ action: 'setting.set' }]);
    expect(await cached(db, UNITS, 'a', c.load('two'))).toBe('one');
    dropCached(db, [{ action: 'unit.updated' }]);
    expect(await cached(db, UNITS, 'a', c.load('two'))).toBe('two');
    expect(c.loads).toBe(2);
  });

  it('does not keep what a load read when a change committed while it ran', async () => {
    const db = fakeDb();
    enableCaches(db);
    let release!: () => void;
    const slow = cached(db, SETTINGS, 'k', () => new Promise<string>((r) => (release = () => r('old'))));
    dropCached(db, [{ action: 'setting.set' }]);
    release();
    expect(await slow).toBe('old');
    expect(await cached(db, SETTINGS, 'k', async () => 'new')).toBe('new');
  });

  it('forgets what a rolled-back transaction stored (it may have read its own writes)', async () => {
    const db = fakeDb();
    enableCaches(db);
    const tx = {} as unknown as DbOrTx;
    shareCaches(tx, db);
    expect(await cached(tx, UNITS, 'a', async () => 'uncommitted')).toBe('uncommitted');
    expect(await cached(db, UNITS, 'a', async () => 'other')).toBe('uncommitted');
    forgetStored(tx);
    expect(await cached(db, UNITS, 'a', async () => 'committed')).toBe('committed');
  });

  it('expires an entry after its time to live', async () => {
    const db = fakeDb();
    enableCaches(db);
    const short = cacheSpec('short', [], 5);
    await cached(db, short, 'a', async () => 'one');
    await new Promise((r) => setTimeout(r, 20));
    expect(await cached(db, short, 'a', async () => 'two')).toBe('two');
  });
});
