import type { FakeSnsServer } from './fake-sns-server.js';
import { S3RVER_CREDENTIALS, type LocalS3 } from './s3rver.js';

/**
 * Points the AWS SDK's default configuration at s3rver and the local SNS server, as a deployment's
 * environment would point it at AWS: the standard endpoint variables, static credentials (s3rver's,
 * which it checks; the SNS server accepts any) and one attempt per call (retrying is the caller's
 * job: the outbox, or the event source mapping). Returns the function restoring the environment.
 */
export function useLocalSinkEndpoints(s3: Pick<LocalS3, 'endpoint'>, sns: Pick<FakeSnsServer, 'endpoint'>): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_MAX_ATTEMPTS: '1',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    process.env = saved;
  };
}
