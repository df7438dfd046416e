import { parentPort, workerData } from 'node:worker_threads';
import { SqliteOrderStore } from '../../adapters/sqlite-store/sqlite-order-store.js';
import type { Outbox, OutboxEntry, OutboxOutcome } from '../../ports/outbox.js';
import { OutboxDispatcher } from '../../services/outbox-dispatcher.js';
import { eventSinksFor } from '../event-sinks.js';
import type { FromWorker, OutboxWorkerData, ToWorker } from './messages.js';

/**
 * The delivery worker of the local server (a composition root of its own): reads due outbox entries
 * through its own connection and writes the archive and notifications, off the request thread.
 * Outcomes go back to the main thread, which owns every write to the store, so the two threads
 * never contend for SQLite's write lock.
 */
if (!parentPort) throw new Error('worker-main runs as a worker thread');
const port = parentPort;
const { config } = workerData as OutboxWorkerData;

const post = (message: FromWorker): void => port.postMessage(message);
const store = SqliteOrderStore.open({ file: config.sqliteFile });
const pendingSettles = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextRequestId = 1;

/** Reads locally; settles through the main thread (which answers once its transaction committed). */
const outbox: Outbox = {
  due: (now: Date, limit: number): Promise<OutboxEntry[]> => store.due(now, limit),
  pendingCount: () => store.pendingCount(),
  settle: (outcomes: readonly OutboxOutcome[]) =>
    new Promise<void>((resolve, reject) => {
      const requestId = nextRequestId++;
      pendingSettles.set(requestId, { resolve, reject });
      post({ type: 'settle', requestId, outcomes: [...outcomes] });
    }),
};

const dispatcher = new OutboxDispatcher(outbox, eventSinksFor(config, { ownThread: true }), {
  onError: (message, details) => post({ type: 'log', level: 'warn', message, details }),
});
dispatcher.start();

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'kick':
      dispatcher.kick();
      return;
    case 'settled': {
      const waiting = pendingSettles.get(message.requestId);
      pendingSettles.delete(message.requestId);
      if (message.error === null) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
      return;
    }
    case 'flush':
      void dispatcher
        .flush(message.timeoutMs)
        .catch(() => -1)
        .then((pending) => post({ type: 'flushed', requestId: message.requestId, pending }));
      return;
    case 'stop':
      void dispatcher.stop().then(async () => {
        await store.close();
        port.close();
      });
      return;
  }
});
