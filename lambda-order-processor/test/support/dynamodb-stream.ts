import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { toLambdaRecord } from '../../src/local/stream-poller.js';
import { DYNAMODB_LOCAL_CREDENTIALS } from './dynamodb-local.js';

/** A real DynamoDB Streams client on DynamoDB Local (same endpoint as the tables). */
export function streamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ region: 'us-east-1', endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, maxAttempts: 1 });
}

export async function latestStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = output.Table?.LatestStreamArn;
  if (arn === undefined) throw new Error(`table ${tableName} has no stream`);
  return arn;
}

/**
 * Every record of the stream so far, read with the stream API as the event source mapping reads it
 * (DescribeStream, GetShardIterator TRIM_HORIZON, GetRecords until a shard has nothing more), in
 * Lambda's event shape.
 */
export async function readStreamRecords(client: DynamoDBStreamsClient, streamArn: string): Promise<DynamoDBRecord[]> {
  const description = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: DynamoDBRecord[] = [];
  for (const shard of description.StreamDescription?.Shards ?? []) {
    const start = await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    let iterator = start.ShardIterator;
    while (iterator !== undefined) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const fetched = page.Records ?? [];
      records.push(...fetched.map((record) => toLambdaRecord(record, streamArn, 'us-east-1')));
      iterator = fetched.length === 0 ? undefined : page.NextShardIterator;
    }
  }
  return records;
}
