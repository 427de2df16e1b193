/**
 * Races of counter business acceptance: two new accounts with the same number opened at the same instant
 * (on two counters), and two clerks (the counter's clerk and a duty manager) closing the same visit at once —
 * exactly one succeeds each time, the other gets a 409 and nothing of it is written. On one app instance
 * always; on two instances sharing one PostgreSQL database when `DATABASE_URL` is given (the row lock and the
 * live-number unique index decide, not the instance's memory).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/app.ts';
import type { Database } from '../../src/platform/db/index.ts';
import { openDatabase, rows } from '../../src/platform/db/index.ts';
import type { TestApp } from '../support/app.ts';
import { testApp, unitIdByCode } from '../support/app.ts';
import { fixtureSignatureDataUrl } from '../support/document-fixture.ts';

let t: TestApp;
let appB: FastifyInstance | null = null;
let databaseB: Database | null = null;
const cookies: Record<string, string> = {};
const counters: Record<number, string> = {};
let hall: string;

const send = (
  app: FastifyInstance,
  who: string,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
) =>
  app.inject({
    method,
    url,
    headers: { cookie: cookies[who]! },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });

beforeAll(async () => {
  t = await testApp({ customers: 20 });
  if (process.env.DATABASE_URL) {
    databaseB = await openDatabase({ url: process.env.DATABASE_URL });
    appB = await createApp({ database: databaseB, clock: t.clock, webDist: '/nonexistent' });
    await appB.ready();
  }
  for (const u of ['admin', 'qy_clerk', 'qy_clerk2', 'qy_duty']) cookies[u] = await t.login(u);
  hall = await unitIdByCode(t, cookies.admin!, 'YC-QY-H01');
  const config = await send(t.app, 'admin', 'GET', `/api/halls/${hall}/queue-config`);
  for (const c of (config.json() as { counters: { id: string; number: number }[] }).counters)
    counters[c.number] = c.id;
  expect((await send(t.app, 'qy_clerk', 'POST', `/api/counters/${counters[1]}/open`)).statusCode).toBe(200);
  expect((await send(t.app, 'qy_clerk2', 'POST', `/api/counters/${counters[2]}/open`)).statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await appB?.close();
  await databaseB?.close();
  await t.close();
});

const other = () => appB ?? t.app;

async function newCustomerVisit(who: string, n: number, idNumber: string, phone: string): Promise<string> {
  const opened = await send(t.app, who, 'POST', '/api/visits', { counterId: counters[n] });
  expect(opened.statusCode, opened.body).toBe(201);
  const id = (opened.json() as { id: string }).id;
  const put = await send(t.app, who, 'PUT', `/api/visits/${id}/customer`, {
    newCustomer: {
      kind: 'individual',
      name: `竞争客户${n}`,
      idDocKind: 'resident_id',
      idDocNumber: idNumber,
      contactPhone: phone,
      address: '云川省青原市新街2号',
    },
  });
  expect(put.statusCode, put.body).toBe(200);
  return id;
}

const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64')}`;
const openAccount = (idNumber: string) => ({
  businessCode: 'mobile_open',
  values: { number: '18677770001', plan: 'A-96', iccid: '8986011234567890123' },
  identity: { document: { kind: 'resident_id', number: idNumber } },
  idCopy: JPEG,
});

describe(`races on ${process.env.DATABASE_URL ? 'two app instances, one PostgreSQL' : 'one app instance'}`, () => {
  it('assigns a number to exactly one of two new accounts opened at the same instant', async () => {
    const [idA, idB] = ['11010519491231002X', '110105194912310038'];
    const visitA = await newCustomerVisit('qy_clerk', 1, idA, '13900002221');
    const visitB = await newCustomerVisit('qy_clerk2', 2, idB, '13900002222');
    const answers: LightMyRequestResponse[] = await Promise.all([
      send(t.app, 'qy_clerk', 'POST', `/api/visits/${visitA}/transactions`, openAccount(idA)),
      send(other(), 'qy_clerk2', 'POST', `/api/visits/${visitB}/transactions`, openAccount(idB)),
    ]);
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes, answers.map((a) => a.body).join('\n')).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe('number_taken');
    const [held] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from subscriptions where number = '18677770001'`,
    );
    expect(held!.n).toBe(1);
    const [lines] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from visit_lines where visit_id in (${visitA}, ${visitB})`,
    );
    expect(lines!.n).toBe(1);
    const [copies] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from id_document_copies where visit_id in (${visitA}, ${visitB})`,
    );
    expect(copies!.n).toBe(1);
  });

  it('lets exactly one of two clerks close the same visit, finishing it once', async () => {
    const winner = (
      await rows<{ id: string }>(
        t.database.db,
        sql`select visit_id as id from visit_lines where business_code = 'mobile_open' limit 1`,
      )
    )[0]!.id;
    const [v] = await rows<{ counter: string }>(
      t.database.db,
      sql`select counter_id as counter from visits where id = ${winner}`,
    );
    const who = v!.counter === counters[1] ? 'qy_clerk' : 'qy_clerk2';
    const paid = await send(t.app, who, 'POST', `/api/visits/${winner}/payments`, {
      method: 'cash',
      amountFen: 1,
    });
    // The new account has no fee here (no first top-up): nothing to pay, so a payment is refused.
    expect(paid.statusCode).toBe(422);
    const signed = await send(t.app, who, 'POST', `/api/visits/${winner}/sign`, {
      signature: fixtureSignatureDataUrl(),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const answers = await Promise.all([
      send(t.app, who, 'POST', `/api/visits/${winner}/close`),
      send(other(), 'qy_duty', 'POST', `/api/visits/${winner}/close`),
    ]);
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes, answers.map((a) => a.body).join('\n')).toEqual([200, 409]);
    const [closed] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events where action = 'visit.closed' and subject_id = ${winner}`,
    );
    expect(closed!.n).toBe(1);
  });
});
