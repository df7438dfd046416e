import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { canonicalJson } from '../../domain/order/fingerprint.js';
import type { Archive } from '../../ports/archive.js';

/**
 * Server-side encryption of archived objects: SSE-S3 (`AES256`, S3-managed keys) or SSE-KMS
 * (`aws:kms`, with the bucket's default / AWS-managed key when no key id is given).
 */
export type ArchiveEncryption = { mode: 'AES256' } | { mode: 'aws:kms'; kmsKeyId: string | null };

export interface S3ArchiveOptions {
  bucket: string;
  /** Prepended to every key, e.g. `orders/` (a trailing slash is added when missing). */
  prefix?: string;
  /** SSE-S3 by default. */
  encryption?: ArchiveEncryption;
}

/** S3's limit on an object key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;
/** Printable ASCII only: S3 user metadata travels as HTTP headers (and is signed). */
const METADATA_VALUE = /^[\x20-\x7e]{1,256}$/;

/**
 * Refuses keys that would not name one well-formed object under the prefix: empty, absolute,
 * `.`/`..` or empty segments (a reader mirroring the archive to disk, or an HTTP client
 * normalising the path, would write elsewhere), backslashes and control characters.
 */
export function assertSafeKey(key: string): void {
  const segments = key.split('/');
  const unsafe =
    key.length === 0 ||
    key.includes('\\') ||
    /\p{Cc}/u.test(key) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (unsafe) throw new Error(`archive key is not a safe object key: ${JSON.stringify(key)}`);
}

function normalisedPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertSafeKey(trimmed);
  return `${trimmed}/`;
}

/** `status` and `order-id` object metadata, when the document carries them (order records do). */
function metadataFor(document: unknown): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (typeof document !== 'object' || document === null) return metadata;
  const { status, orderId } = document as { status?: unknown; orderId?: unknown };
  if (typeof status === 'string' && METADATA_VALUE.test(status)) metadata.status = status;
  if (typeof orderId === 'string' && METADATA_VALUE.test(orderId)) metadata['order-id'] = orderId;
  return metadata;
}

/**
 * Archive in an S3 bucket: one JSON object per key (`<prefix><status>/<yyyy-mm-dd>/<orderId>.json`).
 * The key is deterministic and the body is the same bytes for the same document, so a redelivered
 * event overwrites the object with identical content. Errors propagate: the caller (outbox
 * dispatcher, events Lambda) retries.
 */
export class S3Archive implements Archive {
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly encryption: ArchiveEncryption;

  constructor(
    private readonly client: S3Client,
    options: S3ArchiveOptions,
  ) {
    if (options.bucket.trim() === '') throw new Error('S3Archive needs a bucket');
    this.bucket = options.bucket;
    this.prefix = normalisedPrefix(options.prefix);
    this.encryption = options.encryption ?? { mode: 'AES256' };
  }

  /** The object key a document stored under `key` gets (prefix included). */
  objectKey(key: string): string {
    assertSafeKey(key);
    const objectKey = `${this.prefix}${key}`;
    if (Buffer.byteLength(objectKey, 'utf8') > MAX_KEY_BYTES) {
      throw new Error(`archive key is longer than ${MAX_KEY_BYTES} bytes: ${JSON.stringify(objectKey.slice(0, 80))}...`);
    }
    return objectKey;
  }

  async put(key: string, document: unknown): Promise<void> {
    // Sorted keys: the same order archives to the same bytes whichever path delivers it (SQLite outbox or DynamoDB stream).
    const body = canonicalJson(document) as string | undefined;
    if (body === undefined) throw new Error(`archive document for ${key} is not JSON`);
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: this.objectKey(key),
      Body: body,
      ContentType: 'application/json',
      Metadata: metadataFor(document),
      ServerSideEncryption: this.encryption.mode,
    };
    if (this.encryption.mode === 'aws:kms') {
      if (this.encryption.kmsKeyId) input.SSEKMSKeyId = this.encryption.kmsKeyId;
      // One data key per bucket instead of one KMS request per object.
      input.BucketKeyEnabled = true;
    }
    await this.client.send(new PutObjectCommand(input));
  }
}
