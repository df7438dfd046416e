import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OrderNotification } from '../../domain/events/notification.js';
import { FileNotifier } from './file-notifier.js';

function notification(orderId: string): OrderNotification {
  return {
    eventId: `${orderId}:ORDER_SCREENED:APPROVED`,
    type: 'ORDER_SCREENED',
    orderId,
    status: 'APPROVED',
    score: 9,
    customerId: 'C-1',
    customerEmail: 'j***@example.com',
    totalAmount: 10,
    reasons: [],
    occurredAt: '2026-11-25T10:00:00.000Z',
  };
}

describe('FileNotifier', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'orderops-notify-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one complete JSON line per notification, also when 500 are published at once', async () => {
    const file = path.join(dir, 'nested', 'notifications.jsonl');
    const notifier = new FileNotifier(file);
    const ids = Array.from({ length: 500 }, (_, index) => `ORD-${index}`);
    await Promise.all(ids.map((id) => notifier.publish(notification(id))));
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as OrderNotification).orderId).sort()).toEqual([...ids].sort());
  });

  it('rejects every waiting publish when the file cannot be written, and recovers afterwards', async () => {
    const blocked = path.join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the folder should be');
    const notifier = new FileNotifier(path.join(blocked, 'notifications.jsonl'));
    const results = await Promise.allSettled([notifier.publish(notification('A')), notifier.publish(notification('B'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);

    rmSync(blocked);
    await notifier.publish(notification('C'));
    expect(readFileSync(path.join(blocked, 'notifications.jsonl'), 'utf8')).toContain('"orderId":"C"');
  });
});
