/**
 * `npm run bench -- start`: the first run as a person meets it (issue 11). Several runs of: `fuwu start
 * --demo` on an empty folder until /api/health answers (the whole demo loaded), the idle resident memory of
 * everything it started (VmRSS of node and every postgres process under it, summed), and a restart on that
 * folder. Each is printed with its minimum and median, and as a ratio against a baseline measured in the
 * same run on the same machine: a bare Node HTTP server's start and memory. No goal fails a run on a slow
 * machine; the goals (≤ 10 s, ≤ 3 s, ≤ 300 MB) are printed beside the figures.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchResult } from './harness.ts';

const RUNS = Number(process.env.FUWU_BENCH_RUNS ?? 3);
const bin = fileURLToPath(new URL('../bin/fuwu.js', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise((done) => server.close(done));
  return port;
}

/** Seconds from spawning until `url` answers 200. */
async function startAndWait(
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
): Promise<{ child: ChildProcess; seconds: number; cpu: number }> {
  const began = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${args.join(' ')} exited before answering`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, seconds: (performance.now() - began) / 1000, cpu: await treeCpu(child.pid!) };
    await sleep(20);
  }
}

/** A process and all its descendants. */
async function tree(pid: number): Promise<Set<number>> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(name), ppid);
  }
  const found = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, pp] of parents)
      if (found.has(pp) && !found.has(p)) {
        found.add(p);
        grew = true;
      }
  }
  return found;
}

/** The summed VmRSS (MB) of a process and all its descendants. */
async function treeRss(pid: number): Promise<number> {
  let kb = 0;
  for (const p of await tree(pid)) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kb / 1024;
}

/**
 * CPU seconds (user + system) the process tree has used: what a start costs whatever else the machine
 * is doing (wall-clock times stretch on a busy machine; this does not). Children already gone count too.
 */
async function treeCpu(pid: number): Promise<number> {
  let ticks = 0;
  for (const p of await tree(pid)) {
    const stat = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11] ?? 0) + Number(f[12] ?? 0) + Number(f[13] ?? 0) + Number(f[14] ?? 0);
  }
  return ticks / 100; // USER_HZ
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((done) => child.on('exit', done));
  child.kill('SIGTERM');
  await gone;
}

const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const startBench: Bench = {
  name: 'start',
  describe: `first start with the demo on an empty folder, restart, idle memory of all processes (${RUNS} runs)`,
  async run(): Promise<BenchResult[]> {
    const first: number[] = [];
    const restart: number[] = [];
    const firstCpu: number[] = [];
    const restartCpu: number[] = [];
    const rss: number[] = [];
    const baseStart: number[] = [];
    const baseRss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // baseline: a bare Node HTTP server
      const bport = await freePort();
      const base = await startAndWait(
        ['-e', `require('http').createServer((q, s) => s.end('ok')).listen(${bport}, '127.0.0.1')`],
        process.env,
        `http://127.0.0.1:${bport}/`,
      );
      baseStart.push(base.seconds);
      await sleep(1000);
      baseRss.push(await treeRss(base.child.pid!));
      await stop(base.child);

      const dir = await mkdtemp(join(tmpdir(), 'fuwu-bench-start-'));
      await chmod(dir, 0o755);
      const data = join(dir, 'data');
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, FUWU_DATA_DIR: data };
      delete env.DATABASE_URL;
      const args = [bin, 'start', '--demo', '--port', String(port)];
      const health = `http://127.0.0.1:${port}/api/health`;
      try {
        const a = await startAndWait(args, env, health);
        first.push(a.seconds);
        firstCpu.push(a.cpu);
        await sleep(3000); // idle
        rss.push(await treeRss(a.child.pid!));
        await stop(a.child);
        const b = await startAndWait(args, env, health);
        restart.push(b.seconds);
        restartCpu.push(b.cpu);
        await stop(b.child);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      console.log(
        `  run ${i + 1}: first start ${first.at(-1)!.toFixed(2)} s (${firstCpu.at(-1)!.toFixed(2)} s CPU), ` +
          `restart ${restart.at(-1)!.toFixed(2)} s (${restartCpu.at(-1)!.toFixed(2)} s CPU), ` +
          `idle ${rss.at(-1)!.toFixed(0)} MB (bare node: ${baseStart.at(-1)!.toFixed(2)} s, ${baseRss.at(-1)!.toFixed(0)} MB)`,
      );
    }
    const figures = (name: string, xs: number[], unit: string, goal: string) =>
      `${name}: min ${min(xs).toFixed(2)} ${unit}, median ${median(xs).toFixed(2)} ${unit} (goal ${goal})`;
    const notes = [
      figures('first start (empty folder, demo loaded, /api/health answering)', first, 's', '≤ 10 s'),
      figures('  its CPU time (node + postgres; initdb and build not counted)', firstCpu, 's', '—'),
      figures('restart', restart, 's', '≤ 3 s'),
      figures('  its CPU time', restartCpu, 's', '—'),
      figures('idle resident memory, node + all postgres processes', rss, 'MB', '≤ 300 MB'),
      figures('baseline: bare node HTTP server start', baseStart, 's', '—'),
      figures('baseline: its memory', baseRss, 'MB', '—'),
    ];
    const perStart = (xs: number[]) => 1 / median(xs);
    return [
      {
        bench: 'start: first start',
        subject: { name: 'fuwu start --demo on an empty folder', unit: 'starts', perSecond: perStart(first) },
        baseline: { name: 'bare node http server', unit: 'starts', perSecond: perStart(baseStart) },
        ratio: perStart(first) / perStart(baseStart),
        notes,
      },
      {
        bench: 'start: restart',
        subject: { name: 'fuwu start on an existing folder', unit: 'starts', perSecond: perStart(restart) },
        baseline: { name: 'bare node http server', unit: 'starts', perSecond: perStart(baseStart) },
        ratio: perStart(restart) / perStart(baseStart),
      },
      {
        bench: 'start: idle memory',
        subject: {
          name: 'MB⁻¹ of node + postgres, idle with the demo',
          unit: 'per-MB',
          perSecond: 1 / median(rss),
        },
        baseline: { name: 'MB⁻¹ of a bare node http server', unit: 'per-MB', perSecond: 1 / median(baseRss) },
        ratio: median(baseRss) / median(rss),
      },
    ];
  },
};
