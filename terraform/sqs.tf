# Stream records the events Lambda could not process after its retries (the mapping sends their
# shard positions here, not the records: replay them from the stream within 24 hours or from the table).
resource "aws_sqs_queue" "order_events_dlq" {
  name                      = "${local.name}-order-events-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}
