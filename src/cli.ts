/** `fuwu start | migrate | seed --demo | user add | user reset-password | bench` */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { createApp } from './app.ts';
import { POSITION_CODES } from './core/positions.ts';
import type { Position } from './core/positions.ts';
import { systemClock } from './platform/clock.ts';
import type { Ctx } from './platform/context.ts';
import { systemContext } from './platform/context.ts';
import type { Database } from './platform/db/index.ts';
import { migrateDatabase, openDatabase, schema } from './platform/db/index.ts';
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
  bench [name]                           run benchmarks (see bench/)
Database: DATABASE_URL (PostgreSQL) or the embedded database in FUWU_DATA_DIR (default ./data).`;

async function open(): Promise<Database> {
  const database = await openDatabase({
    url: process.env.DATABASE_URL,
    dataDir: process.env.FUWU_DATA_DIR ?? './data',
  });
  await migrateDatabase(database);
  return database;
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
  const database = await open();
  let login = '';
  if (values.demo) {
    const seeded = await seedDemo(database.db, systemClock);
    login = `demo login: ${DEMO_LOGIN.username} / ${DEMO_LOGIN.password} (${DEMO_LOGIN.role})${seeded ? ' — demo data loaded' : ''}`;
  } else {
    const password = await bootstrap(database);
    if (password) login = `first login: admin / ${password} (change it at first login)`;
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
  await app.listen({ port, host });
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  console.log(`\nFuwu 服务管理平台 is running on the ${database.kind} database`);
  console.log(`  console:  http://${shown}:${port}/`);
  console.log(`  API docs: http://${shown}:${port}/api/docs`);
  if (login) console.log(`  ${login}`);
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
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
  console.error(safeErrorText(err));
  process.exit(1);
});
