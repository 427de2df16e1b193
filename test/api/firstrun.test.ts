/**
 * The first run on the embedded default, as a person runs it: the real `fuwu` command spawned on a new
 * folder. Its steps, a kill -9 mid-seed (the next start starts over), a kill -9 of a running server (no
 * committed command lost, the orphaned database server does not block the restart), the refusals with their
 * exit codes (folder in use, port taken, data from a newer version), and backup → restore → start.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.ts';
import { EXIT } from '../../src/platform/db/embedded.ts';

const bin = fileURLToPath(new URL('../../bin/fuwu.js', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function fuwu(dataDir: string, args: string[]): Run {
  let out = '';
  const env: NodeJS.ProcessEnv = { ...process.env, FUWU_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  // its own process group, so that a kill -9 of the group is what a killed terminal does
  const child = spawn(process.execPath, [bin, ...args], { env, detached: true, stdio: 'pipe' });
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => out, exited };
}

async function until(run: Run, pattern: RegExp, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  let gone = false;
  void run.exited.then(() => (gone = true));
  while (!pattern.test(run.output())) {
    if (gone || Date.now() > end) throw new Error(`no ${pattern} in:\n${run.output()}`);
    await sleep(50);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise((done) => server.close(done));
  return port;
}

/** The running embedded server's socket, as `fuwu backup` finds it. */
async function socketUrl(dataDir: string): Promise<string> {
  const [, , , port, socketDir] = (await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n');
  return `postgres://postgres@localhost:${port}/fuwu?host=${encodeURIComponent(socketDir!)}`;
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

async function stopGracefully(run: Run): Promise<number | null> {
  run.child.kill('SIGTERM');
  return run.exited;
}

const api = (port: number) => `http://127.0.0.1:${port}`;

async function login(port: number): Promise<string> {
  const res = await fetch(`${api(port)}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function unitsWith(port: number, token: string): Promise<number> {
  const res = await fetch(`${api(port)}/api/units`, { headers: { authorization: `Bearer ${token}` } });
  return res.status === 200 ? ((await res.json()) as unknown[]).length : -res.status;
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('the first run on the embedded default', () => {
  let root: string;
  const running = new Set<Run>();
  const start = (dir: string, port: number) => {
    const run = fuwu(dir, ['start', '--demo', '--port', String(port)]);
    running.add(run);
    return run;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fuwu-firstrun-'));
    await chmod(root, 0o755); // as root the database server's user must reach the folders in it
  });
  afterAll(async () => {
    for (const run of running) if (run.child.exitCode === null) await stopGracefully(run);
    await rm(root, { recursive: true, force: true });
  });

  it(
    'a kill -9 in the middle of the first seed: the next start says so and starts over',
    { timeout: 180_000 },
    async () => {
      const dir = join(root, 'interrupted');
      const port = await freePort();
      const first = start(dir, port);
      await until(first, /migrations \d+ of \d+ applied/); // the demo seed runs now
      process.kill(-first.child.pid!, 'SIGKILL');
      await first.exited;

      const second = start(dir, port);
      await until(second, /demo login/);
      const out = second.output();
      expect(out).toMatch(/left running by an earlier Fuwu|database server started/);
      expect(out).toContain('an earlier first start was interrupted');
      expect(out).toMatch(/demo data: \d+ units/);
      const token = await login(port);
      expect(await unitsWith(port, token)).toBeGreaterThan(0);
      expect(await stopGracefully(second)).toBe(0);
    },
  );

  it(
    'a kill -9 of a running server loses no committed command, and the restart is not blocked',
    { timeout: 300_000 },
    async () => {
      const dir = join(root, 'killed');
      const port = await freePort();
      const first = start(dir, port);
      await until(first, /demo login/);
      expect(first.output()).toMatch(/database cluster created/);
      expect(first.output()).toMatch(/migrations \d+ of \d+ applied/);
      expect(first.output()).toMatch(/demo data: \d+ units, \d+ staff, \d+ customers/);
      // Each login is a command: a session row and its event, committed before the answer.
      const tokens = await Promise.all(Array.from({ length: 5 }, () => login(port)));
      const units = await unitsWith(port, tokens[0]!);
      expect(units).toBeGreaterThan(0);
      const [before] = await query<{ n: number }>(
        await socketUrl(dir),
        'select count(*)::int as n from events',
      );
      process.kill(-first.child.pid!, 'SIGKILL'); // the node process group; the database server is orphaned
      await first.exited;

      // Another Fuwu on the folder while it is held is refused (here: the restart's lock is checked first).
      const second = start(dir, port);
      await until(second, /demo login/);
      expect(second.output()).toMatch(/stopped the database server left running by an earlier Fuwu/);
      expect(second.output()).not.toMatch(/database cluster created/);
      for (const token of tokens) expect(await unitsWith(port, token)).toBe(units);
      const after = await query<{ id: string }>(await socketUrl(dir), 'select id from events');
      expect(after.length).toBeGreaterThanOrEqual(before!.n);

      // Refusals, each with its exit code: the folder is held; the port is taken.
      const again = fuwu(dir, ['migrate']);
      expect(await again.exited).toBe(EXIT.locked);
      expect(again.output()).toMatch(/in use by another running Fuwu/);
      const other = fuwu(join(root, 'other'), ['start', '--demo', '--port', String(port)]);
      expect(await other.exited).toBe(EXIT.portTaken);
      expect(other.output()).toMatch(new RegExp(`port ${port} on 127.0.0.1 is taken`));

      // backup while it runs → restore into a new folder → start there: the same data.
      const file = join(root, 'copy.fuwu.gz');
      const backup = fuwu(dir, ['backup', file]);
      expect(await backup.exited, backup.output()).toBe(0);
      expect(existsSync(file)).toBe(true);
      const into = join(root, 'restored');
      const restore = fuwu(root, ['restore', file, '--data-dir', into]);
      expect(await restore.exited, restore.output()).toBe(0);
      const refused = fuwu(root, ['restore', file, '--data-dir', into]);
      expect(await refused.exited).toBe(EXIT.unusable); // not into a folder that has something
      expect(await stopGracefully(second)).toBe(0);
      expect(existsSync(join(dir, 'fuwu.lock'))).toBe(false);

      const restored = start(into, port);
      await until(restored, /demo login/);
      expect(restored.output()).not.toMatch(/demo data:/); // nothing seeded: the data is the copy's
      for (const token of tokens) expect(await unitsWith(port, token)).toBe(units);
      // Every event committed before the backup is in the copy; the running server's outbox may have
      // appended more since (the demo work orders' SMS delivered: notify.delivered).
      const copied = new Set(
        (await query<{ id: string }>(await socketUrl(into), 'select id from events')).map((e) => e.id),
      );
      expect(after.filter((e) => !copied.has(e.id))).toEqual([]);

      // A migration this build does not know: data from a newer Fuwu.
      await query(
        await socketUrl(into),
        `insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 4102444800000)`,
      );
      expect(await stopGracefully(restored)).toBe(0);
      const newer = fuwu(into, ['start', '--port', String(port)]);
      expect(await newer.exited).toBe(EXIT.newer);
      expect(newer.output()).toMatch(/made by a newer/);
    },
  );
});
