/** `fuwu start | migrate | seed --demo | backup | restore | user add | user reset-password | bench` */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { createApp } from './app.ts';
import { POSITION_CODES } from './core/positions.ts';
import type { Position } from './core/positions.ts';
import { systemClock } from './platform/clock.ts';
import type { Ctx } from './platform/context.ts';
import { systemContext } from './platform/context.ts';
import type { Database } from './platform/db/index.ts';
import { migrateDatabase, openDatabase, rows, schema } from './platform/db/index.ts';
import type { OpenOptions } from './platform/db/index.ts';
import { backupTo, restoreInto } from './platform/db/backup.ts';
import { DataDirError, EXIT, secs } from './platform/db/embedded.ts';
import { safeErrorText } from './platform/log-safety.ts';
import { loadShippedCalendar } from './modules/calendar/service.ts';
import { DEMO_LOGIN, seedDemo } from './modules/demo/seed.ts';
import { createHeadquarters, rootUnit } from './modules/org/service.ts';
import { accountByUsername, createStaff, resetStaffPassword } from './modules/staff/service.ts';
import { LOG_LEVELS, isLogLevel } from './platform/request-log.ts';

const USAGE = `usage: fuwu <command>
  start [--demo] [--port N] [--host H]   migrate, (seed demo data into an empty database,) serve
        [--log-level warn|info|debug]    info: one line per request; by default errors and warnings only
  migrate                                apply database migrations
  seed --demo                            load the demo organisation, staff and customers
  user add --unit CODE --username U --name N --position P [--position P …]
  user reset-password --username U
  simulate --hall CODE [--server URL] [--user U] [--speed 60] [--from HH:mm] [--to HH:mm] [--load 1]
                                         play today in the hall's training hall (CODE-SIM) on a running
                                         server through its API (password: FUWU_PASSWORD or a prompt);
                                         it never opens the database
  backup <file>                          a consistent copy of the database, also while it runs
  restore <file> --data-dir <new dir>    the copy into a new (empty) folder of the embedded database
  bench [name]                           run benchmarks (see bench/)
Database: DATABASE_URL (PostgreSQL) or the embedded PostgreSQL in FUWU_DATA_DIR (default ./data).
Exit codes: 0 done · 1 error · 2 usage · ${EXIT.locked} the data folder is in use by another running Fuwu ·
  ${EXIT.newer} the data is from a newer Fuwu · ${EXIT.portTaken} the HTTP port is taken · ${EXIT.unusable} the data folder cannot be used`;

const dataDir = () => process.env.FUWU_DATA_DIR ?? './data';
/** One line per step, with its time. */
const step = (line: string) => console.log(`  · ${line}`);

async function open(options: Partial<OpenOptions> = {}): Promise<Database> {
  const url = process.env.DATABASE_URL;
  const database = await openDatabase({ url, dataDir: dataDir(), onStep: step, ...options });
  // A new embedded database was migrated in its first run; an existing one may have new migrations.
  try {
    await migrateDatabase(database, options.firstRun && !url ? undefined : step);
  } catch (err) {
    await database.close(); // the embedded server too: nothing left running on a refusal
    throw err;
  }
  return database;
}

const webRoot = fileURLToPath(new URL('../web', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

/** Builds the console when web/dist is missing or older than web/src (the install step builds it). */
function ensureConsole(): void {
  const src = join(webRoot, 'src');
  const built = join(webRoot, 'dist', 'index.html');
  if (!existsSync(src)) return;
  const stale = !existsSync(built)
    ? 'missing'
    : Math.max(newest(src), statSync(join(webRoot, 'index.html')).mtimeMs) > statSync(built).mtimeMs
      ? 'older than web/src'
      : null;
  if (!stale) return step('console already built');
  const t = performance.now();
  const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(webRoot, 'vite.config.ts'), '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('the console build failed (npm run build:web)');
  step(`console built (web/dist was ${stale}) ${secs(t)}`);
}

async function demoCounts(database: Database): Promise<string> {
  const [c] = await rows<Record<string, number>>(
    database.db,
    sql`select (select count(*)::int from units) as units, (select count(*)::int from staff) as staff,
               (select count(*)::int from customers) as customers, (select count(*)::int from queue_tickets) as tickets,
               (select count(*)::int from events) as events`,
  );
  return `${c?.units} units, ${c?.staff} staff, ${c?.customers} customers, ${c?.tickets} queue tickets, ${c?.events} events`;
}

async function systemCtx(database: Database): Promise<Ctx> {
  const root = await rootUnit(database.db);
  if (!root) throw new Error('The organisation is empty: run `fuwu seed --demo` or `fuwu start` first.');
  return systemContext(database.db, systemClock, root, 'cli');
}

/** An empty database without demo data gets headquarters and one administrator with a one-time password. */
async function bootstrap(database: Database): Promise<string | null> {
  if (await rootUnit(database.db)) return null;
  await loadShippedCalendar(database.db);
  const { root: hq, ctx } = await createHeadquarters(database.db, systemClock, 'bootstrap');
  const { initialPassword } = await createStaff(ctx, {
    unitId: hq.id,
    username: 'admin',
    name: '系统管理员',
    phone: '',
    positions: ['system_admin'],
  });
  return initialPassword;
}

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      demo: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      // `info`: one line per request; by default only warnings and errors (a demo's terminal stays quiet)
      'log-level': { type: 'string' },
    },
  });
  const logLevel = values['log-level'] ?? process.env.LOG_LEVEL ?? 'warn';
  if (!isLogLevel(logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  console.log('Fuwu 服务管理平台 starting');
  ensureConsole();
  let login = '';
  const firstData = async (database: Database) => {
    const t = performance.now();
    if (values.demo) {
      const seeded = await seedDemo(database.db, systemClock);
      if (seeded) step(`demo data: ${await demoCounts(database)} ${secs(t)}`);
      login = `demo login: ${DEMO_LOGIN.username} / ${DEMO_LOGIN.password} (${DEMO_LOGIN.role})`;
    } else {
      const password = await bootstrap(database);
      if (password) login = `first login: admin / ${password} (change it at first login)`;
      step(`headquarters and its administrator created ${secs(t)}`);
    }
  };
  const database = await open({ firstRun: firstData, detached: true });
  if (database.kind === 'postgres' || !login) {
    // An existing embedded database, or a server: the demo or the first administrator when still empty.
    if (values.demo) {
      const t = performance.now();
      if (await seedDemo(database.db, systemClock))
        step(`demo data: ${await demoCounts(database)} ${secs(t)}`);
      login = `demo login: ${DEMO_LOGIN.username} / ${DEMO_LOGIN.password} (${DEMO_LOGIN.role})`;
    } else if (!login) {
      const password = await bootstrap(database);
      if (password) login = `first login: admin / ${password} (change it at first login)`;
    }
  }
  const app = await createApp({
    database,
    clock: systemClock,
    logger: true,
    logLevel,
    logFormat: process.env.FUWU_LOG_FORMAT === 'json' ? 'json' : 'human',
  });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  try {
    await app.listen({ port, host });
  } catch (err) {
    await app.close().catch(() => undefined);
    await database.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new DataDirError(
        `port ${port} on ${host} is taken (another program, or another Fuwu): stop it, or start with ` +
          `--port N (or PORT=N) — 端口 ${port} 已被占用`,
        EXIT.portTaken,
      );
    throw err;
  }
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  console.log(
    `\nFuwu 服务管理平台 is running on the ${database.kind} database (ready in ${(performance.now() / 1000).toFixed(2)} s)`,
  );
  console.log(`  console:  http://${shown}:${port}/`);
  console.log(`  API docs: http://${shown}:${port}/api/docs`);
  if (login) console.log(`  ${login}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** `fuwu backup <file>`: through the running server's socket when one holds the folder, else on its own. */
async function backup(args: string[]): Promise<void> {
  const [file] = args;
  if (!file) throw new Error(USAGE);
  const t = performance.now();
  const url = process.env.DATABASE_URL ?? (await runningServerUrl());
  let counts: Record<string, number>;
  if (url) counts = await backupTo(url, file);
  else {
    const database = await open();
    try {
      counts = await backupTo(database.url, file);
    } finally {
      await database.close();
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`backup written to ${file}: ${Object.keys(counts).length} tables, ${total} rows ${secs(t)}`);
}

/** The socket of the embedded server running on the data folder (its postmaster.pid names it), if any. */
async function runningServerUrl(): Promise<string | null> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(join(dataDir(), 'pg', 'postmaster.pid'), 'utf8').catch(() => '');
  const [pid, , , port, socketDir] = text.split('\n');
  if (!pid || !socketDir || !existsSync(join(socketDir, `.s.PGSQL.${port}`))) return null;
  return `postgres://postgres@localhost:${port}/fuwu?host=${encodeURIComponent(socketDir)}`;
}

async function restore(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' } },
  });
  const [file] = positionals;
  const target = values['data-dir'];
  if (!file || !target) throw new Error(USAGE);
  const t = performance.now();
  const counts = await restoreInto(file, target, step);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `restored ${file} into ${target}: ${Object.keys(counts).length} tables, ${total} rows ${secs(t)}; ` +
      `start it with FUWU_DATA_DIR=${target} fuwu start`,
  );
}

async function user(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      unit: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      phone: { type: 'string' },
      position: { type: 'string', multiple: true },
    },
  });
  const database = await open();
  try {
    const ctx = await systemCtx(database);
    if (sub === 'add') {
      const positions = (values.position ?? []) as Position[];
      const unknown = positions.filter((p) => !POSITION_CODES.includes(p));
      if (!values.unit || !values.username || !values.name || positions.length === 0 || unknown.length > 0) {
        throw new Error(
          `user add needs --unit, --username, --name and --position (one of ${POSITION_CODES.join(', ')})`,
        );
      }
      const [unit] = await database.db.select().from(schema.units).where(eq(schema.units.code, values.unit));
      if (!unit) throw new Error(`no unit with code ${values.unit}`);
      const { staff, initialPassword } = await createStaff(ctx, {
        unitId: unit.id,
        username: values.username,
        name: values.name,
        phone: values.phone ?? '',
        positions,
      });
      console.log(
        `created ${staff.username} at ${unit.name}; initial password: ${initialPassword} (must be changed at first login)`,
      );
    } else if (sub === 'reset-password') {
      const account = values.username ? await accountByUsername(database.db, values.username) : null;
      if (!account) throw new Error(`no user ${values.username ?? '(give --username)'}`);
      const { initialPassword } = await resetStaffPassword(ctx, account.staff.id);
      console.log(
        `new initial password for ${account.staff.username}: ${initialPassword} (must be changed at next login)`,
      );
    } else {
      throw new Error(USAGE);
    }
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'start':
      return start(args);
    case 'migrate': {
      const database = await open();
      console.log(`migrations applied (${database.kind} database)`);
      return database.close();
    }
    case 'seed': {
      if (!args.includes('--demo')) throw new Error(USAGE);
      const database = await open();
      const seeded = await seedDemo(database.db, systemClock);
      console.log(
        seeded
          ? `demo data loaded; ${DEMO_LOGIN.username} / ${DEMO_LOGIN.password}`
          : 'the database already has an organisation: nothing loaded',
      );
      return database.close();
    }
    case 'user':
      return user(args);
    case 'backup':
      return backup(args);
    case 'restore':
      return restore(args);
    case 'simulate': {
      // Against a running server through its API only: it never opens the database (./data or DATABASE_URL).
      const { runSimulateCommand } = await import('./modules/queue/simulate-http.ts');
      return runSimulateCommand(args);
    }
    case 'bench': {
      const { runBenchmarks } = await import('../bench/index.ts');
      return runBenchmarks(args);
    }
    default:
      console.log(USAGE);
      if (cmd && cmd !== 'help' && cmd !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // A refusal names folders and ports, never personal data: shown as it is.
  if (err instanceof DataDirError) console.error(`fuwu: ${err.message}`);
  else console.error(safeErrorText(err));
  process.exit(err instanceof DataDirError ? err.exitCode : 1);
});
