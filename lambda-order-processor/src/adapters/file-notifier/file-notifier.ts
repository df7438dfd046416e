import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { OrderNotification } from '../../domain/events/notification.js';
import type { Notifier } from '../../ports/notifier.js';

/** Appends each notification as one JSON line (a single append write, so lines never interleave). */
export class FileNotifier implements Notifier {
  private folderReady: Promise<unknown> | null = null;

  constructor(private readonly file: string) {}

  async publish(notification: OrderNotification): Promise<void> {
    this.folderReady ??= mkdir(path.dirname(this.file), { recursive: true });
    await this.folderReady;
    await appendFile(this.file, `${JSON.stringify(notification)}\n`);
  }
}
