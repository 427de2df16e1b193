/**
 * A stand-in for the visits API (issue #13) inside the browser (playwright `route`), for looking at the
 * counter's visit panel and the pad and checking what they send while the real module is being built on
 * another branch. It keeps one visit in memory and applies the core rules the real module applies (fees by
 * `feeOf`, totals and payments by `visitTotals`); it is NOT the server's behaviour — `visit.test.ts` drives
 * the real one. Every request the pages send is recorded for the test to check.
 */
import type { Page, Route } from 'playwright-core';
import { BUILTIN_CATALOGUE, businessType, feeOf } from '../../src/core/business-catalogue.ts';
import type { FieldValues } from '../../src/core/business-catalogue.ts';
import { visitTotals } from '../../src/core/visit-money.ts';
import type { PaymentMethod } from '../../src/core/visit-money.ts';
import type { Visit } from '../../src/modules/visits/contract.ts';

export interface Sent {
  method: string;
  path: string;
  body: unknown;
}

const CUSTOMER: NonNullable<Visit['customer']> = {
  id: '00000000-0000-4000-8000-0000000000c1',
  kind: 'individual',
  name: '王*',
  idDocKind: 'resident_id',
  idDocNumber: '110105********0015',
  contactPhone: '139****5678',
  clubTier: 'gold',
  subscriptions: [
    {
      id: '00000000-0000-4000-8000-0000000000a1',
      kind: 'mobile',
      number: '139****5678',
      plan: '动感地带 58元',
      status: 'active',
      iccid: '****1234',
      depositFen: 0,
      contractUntil: '2026-12-31',
      subsidyUntil: null,
      servicePassword: 'set',
    },
  ],
  openRepairs: [],
};

export class VisitStandIn {
  visit: Visit | null = null;
  readonly sent: Sent[] = [];
  padRequest: 'password' | 'signature' | null = null;

  constructor(private readonly counter: { id: string; name: string; hallId: string }) {}

  private problem(route: Route, status: number, code: string, zh: string, en: string) {
    return route.fulfill({
      status,
      contentType: 'application/problem+json',
      body: JSON.stringify({ status, title: code, detail: zh, code, messages: { 'zh-CN': zh, 'en-US': en } }),
    });
  }

  private json(route: Route, body: unknown, status = 200) {
    return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  }

  private retotal() {
    const v = this.visit!;
    const lines = v.lines.filter((l) => l.status === 'done').map((l) => ({ amountFen: l.feeFen }));
    const r = visitTotals(
      lines,
      v.payments.map((p) => ({
        method: p.method,
        amountFen: p.amountFen,
        ...(p.tenderedFen === null ? {} : { tenderedFen: p.tenderedFen }),
      })),
    );
    if (r.ok)
      v.totals = { totalFen: r.totalFen, paidFen: r.paidFen, balanceFen: r.balanceFen, settled: r.settled };
  }

  /** Serves the visit routes on this page (the rest goes to the real server). */
  async attach(page: Page): Promise<void> {
    await page.route(/\/api\/(visits|counter-pad)(\/|\?|$)/, async (route) => {
      try {
        await this.handle(route);
      } catch (e) {
        console.error('stand-in failed', route.request().url(), e);
        await route.fulfill({ status: 500, body: String(e) });
      }
    });
  }

  private async handle(route: Route) {
    const req = route.request();
    const url = new URL(req.url());
    const path = url.pathname;
    const method = req.method();
    const body: unknown = req.postData() ? JSON.parse(req.postData()!) : undefined;
    this.sent.push({ method, path: path + url.search, body });
    const b = (body ?? {}) as Record<string, unknown>;
    const v = this.visit;

    if (path === '/api/visits' && method === 'GET') {
      const open = v && url.searchParams.get('status') === v.status ? [v] : [];
      return this.json(route, {
        items: open.map((x) => ({
          id: x.id,
          hallId: x.hallId,
          counterName: x.counterName,
          ticketNumber: x.ticketNumber,
          staffName: x.staffName,
          customerName: x.customer?.name ?? '',
          status: x.status,
          lines: x.lines.length,
          totalFen: x.totals.totalFen,
          balanceFen: x.totals.balanceFen,
          openedAt: x.openedAt,
        })),
        total: open.length,
      });
    }
    if (path === '/api/visits' && method === 'POST') {
      this.visit = {
        id: '00000000-0000-4000-8000-0000000000e1',
        hallId: this.counter.hallId,
        hallName: '清远营业厅',
        counterId: this.counter.id,
        counterName: this.counter.name,
        ticketId: (b.ticketId as string | undefined) ?? null,
        ticketNumber: b.ticketId ? 'A001' : null,
        staffName: '张悦',
        status: 'open',
        catalogueVersion: BUILTIN_CATALOGUE.versionId,
        customer: b.ticketId ? structuredClone(CUSTOMER) : null,
        preRegistered: null,
        passwordVerifiedFor: null,
        lines: [],
        payments: [],
        totals: { totalFen: 0, paidFen: 0, balanceFen: 0, settled: true },
        document: null,
        openedAt: new Date().toISOString(),
        signedAt: null,
        closedAt: null,
      };
      return this.json(route, this.visit, 201);
    }
    if (path === '/api/visits/customer-search') return this.json(route, [CUSTOMER]);
    if (path === '/api/counter-pad/visit') {
      if (!v || v.status === 'closed') return this.json(route, { visit: null });
      return this.json(route, {
        visit: {
          id: v.id,
          status: v.status,
          lines: v.lines
            .filter((l) => l.status === 'done')
            .map((l) => ({ businessZh: l.businessZh, businessEn: l.businessEn, feeFen: l.feeFen })),
          totals: v.totals,
          passwordFor:
            this.padRequest === 'password'
              ? { subscriptionId: CUSTOMER.subscriptions[0]!.id, number: '139****5678' }
              : null,
          awaitingSignature: this.padRequest === 'signature' && v.status === 'open',
          terms: {
            zh: '1. 本人已核对上述业务及费用。\n2. 本人提供的证件真实有效。\n3. 业务办理后按约定资费计费。',
            en: '1. I have checked the business and fees above.\n2. The documents I showed are genuine and valid.\n3. Charges apply as agreed.',
          },
        },
      });
    }
    if (!v) return this.problem(route, 404, 'not_found', '受理不存在', 'No such visit');
    const sub = path.slice(`/api/visits/${v.id}`.length);
    if (path === '/api/counter-pad/password') {
      if (b.password !== '246810') {
        return this.problem(route, 422, 'password_wrong', '服务密码不正确', 'The service password is wrong');
      }
      v.passwordVerifiedFor = CUSTOMER.subscriptions[0]!.id;
      this.padRequest = null;
      return this.json(route, { verified: true });
    }
    if (path === '/api/counter-pad/sign' || sub === '/sign') {
      if (!v.totals.settled)
        return this.problem(route, 409, 'unsettled', '尚有未结清款项', 'The balance is not settled');
      v.status = 'signed';
      v.signedAt = new Date().toISOString();
      v.document = {
        id: v.id,
        sha256: 'f'.repeat(64),
        signedAt: v.signedAt,
        copies: 0,
        voidedAt: null,
        replaces: null,
      };
      this.padRequest = null;
      return this.json(route, v);
    }
    if (sub === '' && method === 'GET') return this.json(route, v);
    if (sub === '/customer') {
      v.customer = structuredClone(CUSTOMER);
      if (b.newCustomer) {
        const n = b.newCustomer as { name: string; kind: 'individual' };
        v.customer = { ...v.customer, name: `${n.name.slice(0, 1)}*`, kind: n.kind, subscriptions: [] };
      }
      return this.json(route, v);
    }
    if (sub === '/pad-request') {
      this.padRequest = b.kind as 'password' | 'signature';
      return this.json(route, v);
    }
    if (sub === '/transactions') {
      const type = businessType(BUILTIN_CATALOGUE, String(b.businessCode));
      if (!type) return this.problem(route, 404, 'not_found', '业务不存在', 'No such business');
      const identity = (b.identity ?? {}) as {
        document?: unknown;
        usePadPassword?: boolean;
        password?: string;
      };
      const shown =
        identity.document !== undefined ||
        (identity.usePadPassword && v.passwordVerifiedFor !== null) ||
        identity.password !== undefined;
      if ((type.identity === 'id_document' && !identity.document) || (type.identity === 'either' && !shown)) {
        return this.problem(
          route,
          422,
          'identity_refused',
          `办理「${type.zh}」须出示机主本人有效身份证件。个人客户可出示：居民身份证、临时居民身份证、护照等`,
          `“${type.en}” needs a valid ID document of the owner. An individual may show: resident ID card, temporary ID card, passport …`,
        );
      }
      if (type.opensAccount && !b.idCopy) {
        return this.problem(
          route,
          422,
          'id_copy_required',
          '开户须留存证件影印件',
          'A new account keeps an ID copy',
        );
      }
      const values = (b.values ?? {}) as FieldValues;
      v.lines.push({
        id: `00000000-0000-4000-8000-${String(v.lines.length + 1).padStart(12, '0')}`,
        seq: v.lines.length + 1,
        businessCode: type.code,
        businessZh: type.zh,
        businessEn: type.en,
        light: type.light,
        subscriptionId: (b.subscriptionId as string | undefined) ?? null,
        subscriptionNumber: b.subscriptionId ? '139****5678' : null,
        values: Object.fromEntries(
          Object.entries(values).filter((e): e is [string, string | number | boolean] => e[1] !== undefined),
        ),
        feeFen: feeOf(type, values),
        identityMethod: identity.document ? 'id_document' : shown ? 'password' : 'none',
        strict: false,
        retention: null,
        status: 'done',
        enteredAt: new Date().toISOString(),
      });
      this.retotal();
      return this.json(route, v, 201);
    }
    if (sub === '/payments') {
      const next = {
        method: b.method as PaymentMethod,
        amountFen: Number(b.amountFen),
        ...(b.tenderedFen === undefined ? {} : { tenderedFen: Number(b.tenderedFen) }),
      };
      const lines = v.lines.filter((l) => l.status === 'done').map((l) => ({ amountFen: l.feeFen }));
      const r = visitTotals(lines, [
        ...v.payments.map((p) => ({
          method: p.method,
          amountFen: p.amountFen,
          ...(p.tenderedFen === null ? {} : { tenderedFen: p.tenderedFen }),
        })),
        next,
      ]);
      if (!r.ok) return this.problem(route, 422, r.code, r.zh, r.en);
      const changeFen = next.tenderedFen === undefined ? 0 : next.tenderedFen - next.amountFen;
      v.payments.push({
        id: `p${v.payments.length}`,
        method: next.method,
        amountFen: next.amountFen,
        tenderedFen: next.tenderedFen ?? null,
        changeFen,
        at: new Date().toISOString(),
      });
      this.retotal();
      return this.json(route, { ...v.payments.at(-1) }, 201);
    }
    if (sub === '/close') {
      if (v.status !== 'signed')
        return this.problem(route, 409, 'unsigned', '受理单未签字', 'The document is not signed');
      v.status = 'closed';
      v.closedAt = new Date().toISOString();
      return this.json(route, v);
    }
    return this.problem(route, 404, 'not_found', '无此路径', 'No such route');
  }
}

/** Draws a signature across a canvas with the mouse, as a finger would. */
export async function drawOn(page: Page, testId: string): Promise<void> {
  const canvas = page.getByTestId(testId);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(
      box.x + box.width * (0.15 + i * 0.055),
      box.y + box.height * (0.6 - 0.25 * Math.sin(i)),
      {
        steps: 2,
      },
    );
  }
  await page.mouse.up();
}
