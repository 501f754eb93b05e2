/**
 * Vitest global setup: a folder, removed after the run, where test/db/postgres.ts keeps the data folder `initdb`
 * made for the run's first Postgres server, for the later ones to copy (initdb is the slow part of a start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the initdb'd data folders are kept, one per Postgres version. */
    postgresTemplates: string;
  }
}

export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'paperbot-pg-templates-'));
  project.provide('postgresTemplates', folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
