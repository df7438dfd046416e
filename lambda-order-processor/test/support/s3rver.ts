import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

/** The part of s3rver 3 (CommonJS, no type declarations) the tests use. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** s3rver checks request signatures against these fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface ObservedS3Request {
  method: string;
  /** The request path, without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` (for S3Client's endpoint or AWS_ENDPOINT_URL_S3). */
  endpoint: string;
  /** Every request the server received, as it arrived on the wire. */
  requests: ObservedS3Request[];
  /** A real S3Client pointed at the server (path-style, s3rver's credentials). */
  client(): S3Client;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 and a free port, storing objects in a fresh
 * temporary folder, with the given buckets created before it answers.
 */
export async function startS3rver(buckets: string[]): Promise<LocalS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'orderops-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const requests: ObservedS3Request[] = [];
  server.httpServer?.on('request', (request: IncomingMessage) => {
    requests.push({ method: request.method ?? '', path: (request.url ?? '').split('?')[0] ?? '', headers: request.headers });
  });
  const clients: S3Client[] = [];
  return {
    endpoint,
    requests,
    client() {
      const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
