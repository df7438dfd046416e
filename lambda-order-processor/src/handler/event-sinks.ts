import { FileNotifier } from '../adapters/file-notifier/file-notifier.js';
import { FsArchive } from '../adapters/fs-archive/fs-archive.js';
import { WebhookNotifier } from '../adapters/webhook-notifier/webhook-notifier.js';
import type { OrderProcessorConfig } from '../config/config.js';
import { archiveSink, notifierSink, type EventSink } from '../services/order-event-sinks.js';

/** The sinks every order event must reach, chosen from configuration (used by both composition roots). */
export function eventSinksFor(config: OrderProcessorConfig): EventSink[] {
  const sinks: EventSink[] = [
    archiveSink(new FsArchive(config.archiveDir)),
    notifierSink('notify', new FileNotifier(config.notificationsFile)),
  ];
  if (config.notifyWebhookUrl) sinks.push(notifierSink('webhook', new WebhookNotifier(config.notifyWebhookUrl)));
  return sinks;
}
