import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createAnalyticsApp, listeningUrl } from '../../src/app.factory.js';

export interface StartedAnalytics {
  app: INestApplication;
  /** supertest on the listening server. */
  http: ReturnType<typeof request>;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Closes the application (shutdown hooks run: the store is closed); removes DATA_DIR when startAnalytics made it. */
  close(): Promise<void>;
}

/**
 * The analytics application exactly as main.ts builds it (createAnalyticsApp: same modules, pipes,
 * middleware and OpenAPI document), listening on 127.0.0.1 on a free port. `env` takes precedence
 * over the process environment; give DATA_DIR (e.g. the folder seedOrderStore wrote), or a fresh
 * temporary one is used. Logs are silent unless env sets LOG_LEVEL. Analytics variables not given
 * take their defaults, whatever the developer's shell exports.
 */
export async function startAnalytics(env: Record<string, string> = {}): Promise<StartedAnalytics> {
  const ownDataDir = env.DATA_DIR === undefined ? mkdtempSync(path.join(tmpdir(), 'analytics-')) : null;
  const app = await createAnalyticsApp({
    STORE: 'sqlite',
    COST_SOURCE: 'none',
    COST_EXPORT_FILE: '',
    LOG_LEVEL: 'silent',
    ...env,
    ...(ownDataDir === null ? {} : { DATA_DIR: ownDataDir }),
    ANALYTICS_HOST: '127.0.0.1',
    ANALYTICS_PORT: '0',
  });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    http: request(app.getHttpServer()),
    url: listeningUrl('127.0.0.1', address.port),
    async close() {
      await app.close();
      if (ownDataDir !== null) rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}
