/**
 * A small API client written only against the types generated from the live API description
 * (`api.generated.ts`, made by test/api/openapi-client.test.ts with openapi-typescript): a manager logs in
 * and registers a kiosk, the kiosk takes a ticket at the hall, a clerk opens a counter and calls it. If the
 * description drifts from the server, this file stops type-checking or the flow stops working.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api.generated.ts';

export type ProblemBody = components['schemas']['Problem'];

export interface FlowInput {
  baseUrl: string;
  password: string;
  manager: string;
  clerk: string;
  hallCode: string;
  category: string;
}

export interface FlowResult {
  taken: { id: string; number: string; status: string };
  called: { id: string; number: string; status: string; counterId: string | null };
  /** The kiosk may not call tickets: the typed error of the same client. */
  refused: ProblemBody;
  /** A second login with a wrong password: the typed 401. */
  wrongPassword: ProblemBody;
}

const fail = (what: string, error: unknown): never => {
  throw new Error(`${what}: ${JSON.stringify(error)}`);
};

export async function takeAndCall(input: FlowInput): Promise<FlowResult> {
  const { baseUrl } = input;
  const anonymous = createClient<paths>({ baseUrl });
  const logIn = async (username: string) => {
    const { data, error } = await anonymous.POST('/api/auth/login', {
      body: { username, password: input.password },
    });
    if (!data) return fail(`log in ${username}`, error);
    return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${data.token}` } });
  };

  const manager = await logIn(input.manager);
  const units = await manager.GET('/api/units');
  const hall = units.data?.find((u) => u.code === input.hallCode);
  if (!hall) return fail(`hall ${input.hallCode}`, units.error);
  const device = await manager.POST('/api/tokens', {
    body: { kind: 'device', unitId: hall.id, label: '1号取号机', positions: ['device_kiosk'] },
  });
  if (!device.data) return fail('kiosk token', device.error);
  const kiosk = createClient<paths>({
    baseUrl,
    headers: { authorization: `Bearer ${device.data.token}` },
  });

  const taken = await kiosk.POST('/api/halls/{hallId}/tickets', {
    params: { path: { hallId: hall.id } },
    body: { category: input.category },
  });
  if (!taken.data) return fail('take a ticket', taken.error);

  const clerk = await logIn(input.clerk);
  const config = await clerk.GET('/api/halls/{hallId}/queue-config', {
    params: { path: { hallId: hall.id } },
  });
  const counter = config.data?.counters.find((c) => c.number === 1);
  if (!counter) return fail('counter 1', config.error);
  const opened = await clerk.POST('/api/counters/{id}/open', {
    params: { path: { id: counter.id } },
    body: {},
  });
  if (!opened.data) return fail('open the counter', opened.error);

  const refused = await kiosk.POST('/api/counters/{id}/call-next', {
    params: { path: { id: counter.id } },
    body: {},
  });
  if (!refused.error) return fail('a kiosk calling', refused.data);

  const called = await clerk.POST('/api/counters/{id}/call-next', {
    params: { path: { id: counter.id } },
    body: {},
  });
  if (!called.data) return fail('call next', called.error);

  const wrong = await anonymous.POST('/api/auth/login', {
    body: { username: input.clerk, password: `${input.password}-wrong` },
  });
  if (!wrong.error) return fail('a wrong password', wrong.data);

  return {
    taken: { id: taken.data.id, number: taken.data.number, status: taken.data.status },
    called: {
      id: called.data.id,
      number: called.data.number,
      status: called.data.status,
      counterId: called.data.counter?.id ?? null,
    },
    refused: refused.error,
    wrongPassword: wrong.error,
  };
}
