# The original system's nine widgets, on the metrics the code really emits: the order API's EMF
# metrics (lambda-order-processor/src/handler/order-metrics.ts, namespace OrderOps, dimensions
# service + status) and AWS's own Lambda, API Gateway and DynamoDB metrics.

locals {
  metrics_namespace = "OrderOps"
  # The status dimension values of the EMF metrics, keyed by an id usable in metric math.
  order_statuses = { approved = "APPROVED", rejected = "REJECTED", pending = "PENDING_REVIEW" }
  alarm_actions  = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_dashboard" "orderops" {
  dashboard_name = local.name
  dashboard_body = templatefile("${path.module}/templates/dashboard.json.tftpl", {
    region                = var.aws_region
    namespace             = local.metrics_namespace
    service               = local.order_api_service_name
    order_api_function    = aws_lambda_function.orderops["order-api"].function_name
    order_events_function = aws_lambda_function.orderops["order-events"].function_name
    order_api_log_group   = aws_cloudwatch_log_group.lambda["order-api"].name
    api_id                = aws_apigatewayv2_api.orders.id
    table                 = aws_dynamodb_table.orders.name
  })
}

# Errors and throttles of each function.
resource "aws_cloudwatch_metric_alarm" "lambda" {
  for_each = {
    for pair in setproduct(keys(local.lambda_functions), ["Errors", "Throttles"]) : "${pair[0]}-${lower(pair[1])}" => {
      function = pair[0]
      metric   = pair[1]
    }
  }

  alarm_name          = "${local.name}-${each.key}"
  alarm_description   = "${each.value.function}: ${each.value.metric == "Errors" ? "failed invocations (unhandled errors, timeouts)" : "throttled invocations (concurrency limit reached)"}."
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = aws_lambda_function.orderops[each.value.function].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  alarm_name          = "${local.name}-order-events-dlq-depth"
  alarm_description   = "Order events could not be archived or notified after every retry: see the dead-letter queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.order_events_dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "rejection_rate" {
  alarm_name          = "${local.name}-rejection-rate"
  alarm_description   = "More than ${var.rejection_rate_alarm_percent}% of the orders of 15 minutes were rejected (attack, or a screening change gone wrong)."
  evaluation_periods  = 1
  threshold           = var.rejection_rate_alarm_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "100 * rejected / (approved + rejected + pending)"
    label       = "rejected orders (%)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.order_statuses
    content {
      id = metric_query.key
      metric {
        namespace   = local.metrics_namespace
        metric_name = "OrdersProcessed"
        dimensions  = { service = local.order_api_service_name, status = metric_query.value }
        period      = 900
        stat        = "Sum"
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "cost_per_order" {
  alarm_name          = "${local.name}-cost-per-order"
  alarm_description   = "The estimated processing cost per order over an hour exceeded $${var.cost_per_order_alarm_dollars} (AI_MODE, model or memory change?)."
  evaluation_periods  = 1
  threshold           = var.cost_per_order_alarm_dollars
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "perorder"
    expression  = "(costapproved + costrejected + costpending) / (ordersapproved + ordersrejected + orderspending)"
    label       = "cost per order ($)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.order_statuses
    content {
      id = "cost${metric_query.key}"
      metric {
        namespace   = local.metrics_namespace
        metric_name = "ProcessingCostDollars"
        dimensions  = { service = local.order_api_service_name, status = metric_query.value }
        period      = 3600
        stat        = "Sum"
      }
    }
  }

  dynamic "metric_query" {
    for_each = local.order_statuses
    content {
      id = "orders${metric_query.key}"
      metric {
        namespace   = local.metrics_namespace
        metric_name = "OrdersProcessed"
        dimensions  = { service = local.order_api_service_name, status = metric_query.value }
        period      = 3600
        stat        = "Sum"
      }
    }
  }
}
