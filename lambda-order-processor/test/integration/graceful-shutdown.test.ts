import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validOrderBody } from '../fixtures/valid-order.js';

// The built entry point of `npm start` (npm test builds before it runs jest).
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/local/main.js');

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${String(code)}): ${output}`)));
  });
}

describe('npm start: the local order API process', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'orderops-main-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes an in-flight request on SIGTERM, flushes the outbox and exits 0', async () => {
    expect(existsSync(MAIN)).toBe(true);
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATA_DIR: dataDir, ORDER_API_PORT: '0', POWERTOOLS_LOG_LEVEL: 'INFO' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = new URL(await waitForListening(child));

    const body = JSON.stringify(validOrderBody({ orderId: 'SHUTDOWN-1' }));
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: '/orders', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on('error', reject);
      // Half the body now, SIGTERM while the request is in flight, the rest afterwards.
      request.write(body.slice(0, 40));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => request.end(body.slice(40)), 200);
      }, 200);
    });

    const response = await answer;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ orderId: 'SHUTDOWN-1' });
    expect(await exited).toBe(0);

    // The outbox was flushed before exit: the archive file and the notification exist.
    const status = (JSON.parse(response.text) as { status: string }).status;
    const day = new Date().toISOString().slice(0, 10);
    expect(existsSync(path.join(dataDir, 'archive', status, day, 'SHUTDOWN-1.json'))).toBe(true);
    expect(readFileSync(path.join(dataDir, 'notifications.jsonl'), 'utf8')).toContain('"orderId":"SHUTDOWN-1"');
  });
});
