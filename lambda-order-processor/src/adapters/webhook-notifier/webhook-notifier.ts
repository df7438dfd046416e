import type { OrderNotification } from '../../domain/events/notification.js';
import type { Notifier } from '../../ports/notifier.js';

/** POSTs each notification as JSON; anything but a 2xx within the timeout is a failure to retry. */
export class WebhookNotifier implements Notifier {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async publish(notification: OrderNotification): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': notification.eventId },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook answered ${response.status}`);
  }
}
