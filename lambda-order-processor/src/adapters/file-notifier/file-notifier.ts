import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { OrderNotification } from '../../domain/events/notification.js';
import type { Notifier } from '../../ports/notifier.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Appends each notification as one JSON line. Notifications published while an append is under way
 * are written together by the next single append (group commit): lines never interleave, and a busy
 * outbox costs one write per batch instead of one per order. Each publish resolves once its line is written.
 */
export class FileNotifier implements Notifier {
  private folderReady: Promise<unknown> | null = null;
  private queued: string[] = [];
  private waiters: Waiter[] = [];
  private writing = false;

  constructor(private readonly file: string) {}

  publish(notification: OrderNotification): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push(`${JSON.stringify(notification)}\n`);
      this.waiters.push({ resolve, reject });
      if (!this.writing) void this.writeQueued();
    });
  }

  private async writeQueued(): Promise<void> {
    this.writing = true;
    while (this.queued.length > 0) {
      const lines = this.queued.join('');
      const waiters = this.waiters;
      this.queued = [];
      this.waiters = [];
      try {
        this.folderReady ??= mkdir(path.dirname(this.file), { recursive: true });
        await this.folderReady;
        await appendFile(this.file, lines);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        this.folderReady = null;
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.writing = false;
  }
}
