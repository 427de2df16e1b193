/**
 * The business catalogue through HTTP (2§2.1): headquarters' built-in catalogue in force until a province
 * stores its own version; search by pinyin initials; versions validated, never changed once stored, retired;
 * only an administrator of the province (or above) writes; nothing written on a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { BUILTIN_CATALOGUE } from '../../src/core/business-catalogue.ts';
import { rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let t: TestApp;
let admin: string;
let clerk: string;
let qyadmin: string;
let units: { id: string; code: string; kind: string }[];
const unit = (code: string) => units.find((u) => u.code === code)!;

async function counts() {
  const [r] = await rows<{ versions: number; events: number }>(
    t.database.db,
    sql`select (select count(*)::int from catalogue_versions) as versions,
               (select count(*)::int from events where action like 'catalogue.%') as events`,
  );
  return r!;
}

function version(versionId: string, change: (types: typeof BUILTIN_CATALOGUE.types) => void = () => {}) {
  const types = structuredClone(BUILTIN_CATALOGUE.types);
  change(types);
  return { unitId: unit('YC').id, versionId, basedOn: BUILTIN_CATALOGUE.versionId, types };
}

beforeAll(async () => {
  t = await testApp({ customers: 5 });
  admin = await t.login('admin');
  clerk = await t.login('qy_clerk');
  qyadmin = await t.login('qyadmin');
  units = (await t.as(admin, { method: 'GET', url: '/api/units' })).json();
}, 60_000);
afterAll(() => t.close());

describe('the catalogue in force', () => {
  it('is headquarters’ built-in catalogue until the province stores one', async () => {
    const res = await t.as(clerk, { method: 'GET', url: '/api/business-types' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().versionId).toBe(BUILTIN_CATALOGUE.versionId);
    expect(res.json().types).toHaveLength(BUILTIN_CATALOGUE.types.length);
    expect(res.json().retentionOffers.length).toBeGreaterThan(0);
  });

  it('is searched by pinyin initials and filtered by customer kind', async () => {
    const xh = await t.as(clerk, { method: 'GET', url: '/api/business-types?q=xh' });
    expect(xh.json().types[0].zh).toBe('销号');
    const group = await t.as(clerk, { method: 'GET', url: '/api/business-types?customerKind=group' });
    const codes = (group.json().types as { code: string; customerKinds: string[] }[]).map((x) => x.code);
    expect(codes).toContain('group_product');
    const individual = await t.as(clerk, {
      method: 'GET',
      url: '/api/business-types?customerKind=individual',
    });
    expect((individual.json().types as { code: string }[]).map((x) => x.code)).not.toContain('group_product');
  });

  it('is refused for a unit outside the caller’s subtree (the matrix tries every position and device)', async () => {
    const res = await t.as(clerk, { method: 'GET', url: `/api/business-types?unitId=${unit('YC').id}` });
    expect(res.statusCode).toBe(403);
  });
});

describe('a province’s versions', () => {
  it('stores a valid version, which is then in force in every hall of the province', async () => {
    const before = await counts();
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/business-types/versions',
      payload: version('yc-2026.1', (types) => {
        const sim = types.find((x) => x.code === 'sim_replace')!;
        sim.fee = { kind: 'fixed', fen: 1500 };
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ versionId: 'yc-2026.1', inForce: true, retiredAt: null });
    const after = await counts();
    expect(after).toEqual({ versions: before.versions + 1, events: before.events + 1 });
    const inForce = await t.as(clerk, { method: 'GET', url: '/api/business-types' });
    expect(inForce.json().versionId).toBe('yc-2026.1');
    const sim = (inForce.json().types as { code: string; fee: unknown }[]).find(
      (x) => x.code === 'sim_replace',
    );
    expect(sim?.fee).toEqual({ kind: 'fixed', fen: 1500 });
    const list = await t.as(admin, {
      method: 'GET',
      url: `/api/business-types/versions?unitId=${unit('YC').id}`,
    });
    expect(list.json().items.map((v: { versionId: string }) => v.versionId)).toEqual(['yc-2026.1']);
  });

  it('refuses a version with problems, a taken id, a hall as owner and a non-administrator — writing nothing', async () => {
    const before = await counts();
    const invalid = await t.as(admin, {
      method: 'POST',
      url: '/api/business-types/versions',
      payload: version('yc-bad', (types) => types.push(structuredClone(types[0]!))),
    });
    expect(invalid.statusCode, invalid.body).toBe(422);
    expect(invalid.json().code).toBe('catalogue_invalid');
    expect(invalid.json().errors[0].path).toMatch(/^body\.types\[/);
    const taken = await t.as(admin, {
      method: 'POST',
      url: '/api/business-types/versions',
      payload: version('yc-2026.1'),
    });
    expect(taken.statusCode).toBe(409);
    const builtinId = await t.as(admin, {
      method: 'POST',
      url: '/api/business-types/versions',
      payload: version(BUILTIN_CATALOGUE.versionId),
    });
    expect(builtinId.statusCode).toBe(409);
    const hall = await t.as(admin, {
      method: 'POST',
      url: '/api/business-types/versions',
      payload: { ...version('yc-hall'), unitId: unit('YC-QY-H01').id },
    });
    expect(hall.statusCode).toBe(422);
    expect(hall.json().code).toBe('not_a_province');
    for (const who of [clerk, qyadmin]) {
      const res = await t.as(who, {
        method: 'POST',
        url: '/api/business-types/versions',
        payload: version('yc-x'),
      });
      expect(res.statusCode).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it('retires a version once; the one before is in force again', async () => {
    const url = `/api/business-types/versions/${unit('YC').id}/yc-2026.1/retire`;
    const res = await t.as(admin, { method: 'POST', url });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().retiredAt).not.toBeNull();
    expect((await t.as(clerk, { method: 'GET', url: '/api/business-types' })).json().versionId).toBe(
      BUILTIN_CATALOGUE.versionId,
    );
    expect((await t.as(admin, { method: 'POST', url })).statusCode).toBe(409);
    // A retired version can still be read whole (a visit opened under it shows what it did).
    const old = await t.as(admin, {
      method: 'GET',
      url: `/api/business-types/versions/${unit('YC').id}/yc-2026.1`,
    });
    expect(old.statusCode).toBe(200);
    expect(old.json().types.length).toBe(BUILTIN_CATALOGUE.types.length);
  });
});
