# The two functions, from the esbuild bundles (ESM, Node.js 22, arm64; handler index.handler).

locals {
  lambda_functions = {
    order-api = {
      description          = "OrderOps order API: validate, screen, cost and record orders"
      zip                  = var.order_api_zip
      memory_mb            = var.order_api_memory_mb
      timeout_seconds      = var.order_api_timeout_seconds
      reserved_concurrency = var.order_api_reserved_concurrency
      environment          = local.order_api_environment
    }
    order-events = {
      description          = "OrderOps order events: archive to S3 and notify through SNS from the table stream"
      zip                  = var.order_events_zip
      memory_mb            = var.order_events_memory_mb
      timeout_seconds      = var.order_events_timeout_seconds
      reserved_concurrency = var.order_events_reserved_concurrency
      environment          = local.order_events_environment
    }
  }
}

resource "aws_cloudwatch_log_group" "lambda" {
  for_each          = local.lambda_functions
  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "orderops" {
  for_each                       = local.lambda_functions
  function_name                  = "${local.name}-${each.key}"
  description                    = each.value.description
  role                           = aws_iam_role.lambda[each.key].arn
  filename                       = each.value.zip
  source_code_hash               = filebase64sha256(each.value.zip)
  handler                        = "index.handler"
  runtime                        = "nodejs22.x"
  architectures                  = ["arm64"]
  memory_size                    = each.value.memory_mb
  timeout                        = each.value.timeout_seconds
  reserved_concurrent_executions = each.value.reserved_concurrency

  environment {
    variables = each.value.environment
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.lambda[each.key].name
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_iam_role_policy.lambda, aws_cloudwatch_log_group.lambda]
}

# DynamoDB Streams -> events Lambda. The function reports partial batch failures, a failing batch is
# split in two until the bad record is alone, and what still fails after the retries goes to the DLQ.
resource "aws_lambda_event_source_mapping" "order_events" {
  event_source_arn                   = aws_dynamodb_table.orders.stream_arn
  function_name                      = aws_lambda_function.orderops["order-events"].arn
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = var.stream_batch_size
  maximum_batching_window_in_seconds = var.stream_maximum_batching_window_seconds
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.stream_maximum_retry_attempts
  maximum_record_age_in_seconds      = 86400
  function_response_types            = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.order_events_dlq.arn
    }
  }
}

resource "aws_lambda_permission" "api_gateway" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.orderops["order-api"].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.orders.execution_arn}/*/*"
}
