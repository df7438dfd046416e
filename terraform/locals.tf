locals {
  name       = "${var.project}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # The cost-allocation tag (the analytics service's COST_ALLOCATION_TAG_KEY/VALUE) and the rest.
  tags = merge(var.tags, {
    (var.cost_allocation_tag_key) = var.cost_allocation_tag_value
    environment                   = var.environment
    managed-by                    = "terraform"
  })

  # Powertools service names: the `service` dimension of every EMF metric (the dashboard filters on it).
  order_api_service_name    = "order-processor"
  order_events_service_name = "order-events"

  # The exact Bedrock model the order Lambda may invoke (foundation model in this region).
  bedrock_model_arn = "arn:${local.partition}:bedrock:${var.aws_region}::foundation-model/${var.bedrock_model_id}"

  # Order API: DynamoDB mode, screening settings, AI analyst. Every name here is read by
  # lambda-order-processor/src (checked by lambda-order-processor/test/infrastructure).
  order_api_environment = {
    STORE                   = "dynamodb"
    ORDERS_TABLE            = aws_dynamodb_table.orders.name
    ROLLUP_SHARDS           = tostring(var.rollup_shards)
    AI_PROVIDER             = var.ai_provider
    AI_MODE                 = var.ai_mode
    AI_TIMEOUT_MS           = tostring(var.ai_timeout_ms)
    BEDROCK_MODEL_ID        = var.bedrock_model_id
    REJECT_BELOW_SCORE      = tostring(var.reject_below_score)
    APPROVE_FROM_SCORE      = tostring(var.approve_from_score)
    LAMBDA_ARCHITECTURE     = "arm64"
    API_TYPE                = "HTTP"
    POWERTOOLS_SERVICE_NAME = local.order_api_service_name
    POWERTOOLS_LOG_LEVEL    = var.log_level
    NODE_OPTIONS            = "--enable-source-maps"
  }

  # Events Lambda: archive to S3 and notify through SNS (it opens no store: the stream feeds it).
  order_events_environment = {
    ARCHIVE                 = "s3"
    ARCHIVE_BUCKET          = aws_s3_bucket.archive.bucket
    ARCHIVE_PREFIX          = var.archive_prefix
    ARCHIVE_SSE             = "AES256"
    NOTIFIER                = "sns"
    SNS_TOPIC_ARN           = aws_sns_topic.orders.arn
    POWERTOOLS_SERVICE_NAME = local.order_events_service_name
    POWERTOOLS_LOG_LEVEL    = var.log_level
    NODE_OPTIONS            = "--enable-source-maps"
  }
}
