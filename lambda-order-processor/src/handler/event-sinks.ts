import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { FileNotifier } from '../adapters/file-notifier/file-notifier.js';
import { FsArchive } from '../adapters/fs-archive/fs-archive.js';
import { S3Archive } from '../adapters/s3-archive/s3-archive.js';
import { SnsNotifier } from '../adapters/sns-notifier/sns-notifier.js';
import { WebhookNotifier } from '../adapters/webhook-notifier/webhook-notifier.js';
import type { OrderProcessorConfig } from '../config/config.js';
import type { Archive } from '../ports/archive.js';
import type { Notifier } from '../ports/notifier.js';
import { archiveSink, notifierSink, type EventSink } from '../services/order-event-sinks.js';

/**
 * The AWS clients take credentials from the default provider chain; endpoints can be overridden
 * with the SDK's standard AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SNS (s3rver, LocalStack, tests).
 * The SDK sets no timeout by default: a hanging endpoint would stall the whole outbox drain.
 */
const SINK_HTTP_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true };

function archiveFor(config: OrderProcessorConfig, ownThread: boolean): Archive {
  if (config.archive === 'fs' || !config.archiveBucket) return new FsArchive(config.archiveDir, { blocking: ownThread });
  const client = new S3Client({ region: config.deployment.region, followRegionRedirects: true, requestHandler: SINK_HTTP_TIMEOUTS });
  return new S3Archive(client, { bucket: config.archiveBucket, prefix: config.archivePrefix, encryption: config.archiveEncryption });
}

function notifierFor(config: OrderProcessorConfig): Notifier {
  if (config.notifier === 'file' || !config.snsTopicArn) return new FileNotifier(config.notificationsFile);
  // SNS only accepts a publish in the topic's own region, which its ARN names.
  const region = config.snsTopicArn.split(':')[3] || config.deployment.region;
  return new SnsNotifier(new SNSClient({ region, requestHandler: SINK_HTTP_TIMEOUTS }), config.snsTopicArn);
}

/**
 * The sinks every order event must reach, chosen from configuration (used by both composition roots).
 * ownThread: delivery runs on a thread of its own (the local server's delivery worker), where
 * blocking file calls hold up nothing else.
 */
export function eventSinksFor(config: OrderProcessorConfig, { ownThread = false }: { ownThread?: boolean } = {}): EventSink[] {
  const sinks: EventSink[] = [
    archiveSink(archiveFor(config, ownThread)),
    notifierSink('notify', notifierFor(config)),
  ];
  if (config.notifyWebhookUrl) sinks.push(notifierSink('webhook', new WebhookNotifier(config.notifyWebhookUrl)));
  return sinks;
}
