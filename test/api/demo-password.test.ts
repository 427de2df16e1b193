/**
 * The demo password is public: in a database that the demo seed did not fill, an account that has it must
 * change it at login. Its own file, so that its database (not seeded) is the only one: on a PostgreSQL
 * server each test file resets the one database in turn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as password from '../../src/platform/auth/password.ts';
import { createHeadquarters } from '../../src/modules/org/service.ts';
import { insertAccount } from '../../src/modules/staff/service.ts';
import type { TestApp } from '../support/app.ts';
import { testApp } from '../support/app.ts';

let real: TestApp;
beforeAll(async () => {
  real = await testApp({ demo: false });
});
afterAll(() => real.close());

describe('the demo password in a real database', () => {
  it('must be changed at login when the database was not seeded with the demo', async () => {
    const { root, ctx } = await createHeadquarters(real.database.db, real.clock, 'bootstrap');
    await insertAccount(
      ctx.db,
      root,
      {
        username: 'root_admin',
        name: '管理员',
        phone: '',
        positions: ['system_admin'],
        passwordHash: await password.hashPassword('Fuwu@2026'),
        mustChangePassword: false,
      },
      real.clock.now(),
    );
    const res = await real.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'root_admin', password: 'Fuwu@2026' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().me.mustChangePassword).toBe(true);
  });
});
