/**
 * vitest globalSetup: on the embedded default (no DATABASE_URL) ONE PostgreSQL cluster for the whole test
 * run, in a temporary folder, with a migrated template database; every fresh database of a test file is a
 * copy of the template (`CREATE DATABASE … TEMPLATE`), so files run in parallel, each on its own database.
 * With DATABASE_URL nothing is started: the files take turns on that server's database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startCluster } from '../../src/platform/db/embedded.ts';
import { migrateDatabase, openDatabase } from '../../src/platform/db/index.ts';

export const TEMPLATE_DB = 'fuwu_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test cluster's `postgres` database (for CREATE/DROP DATABASE), or '' with DATABASE_URL. */
    fuwuClusterAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (process.env.DATABASE_URL) {
    project.provide('fuwuClusterAdminUrl', '');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fuwu-test-'));
  const cluster = await startCluster(dir, {
    noLock: true,
    // Throwaway data: no waiting for the disk.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  try {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await admin.end();
    const template = await openDatabase({ url: cluster.url(TEMPLATE_DB) });
    await migrateDatabase(template);
    await template.close();
  } catch (err) {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  project.provide('fuwuClusterAdminUrl', cluster.url('postgres'));
  return async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
