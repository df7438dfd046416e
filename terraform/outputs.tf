output "api_url" {
  description = "Base URL of the order API (POST /orders, GET /orders/{orderId}, POST /orders/{orderId}/review, GET /health)."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "cloudwatch_dashboard_url" {
  description = "The CloudWatch dashboard in the console."
  value       = "https://${var.aws_region}.console.aws.amazon.com/cloudwatch/home?region=${var.aws_region}#dashboards/dashboard/${aws_cloudwatch_dashboard.orderops.dashboard_name}"
}

output "orders_table_name" {
  description = "The DynamoDB table (ORDERS_TABLE of both services)."
  value       = aws_dynamodb_table.orders.name
}

output "archive_bucket_name" {
  description = "The S3 bucket of the order archive."
  value       = aws_s3_bucket.archive.bucket
}

output "notification_topic_arn" {
  description = "The SNS topic of order notifications."
  value       = aws_sns_topic.orders.arn
}

output "alarm_topic_arn" {
  description = "The SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}

output "order_events_dlq_url" {
  description = "The dead-letter queue of the order events mapping."
  value       = aws_sqs_queue.order_events_dlq.url
}

output "eks_cluster_name" {
  description = "EKS cluster of the analytics service (aws eks update-kubeconfig --name ...)."
  value       = aws_eks_cluster.main.name
}

output "ecr_repository_url" {
  description = "ECR repository of the analytics image."
  value       = aws_ecr_repository.analytics.repository_url
}

output "analytics_role_arn" {
  description = "IRSA role of the analytics pods (the chart's serviceAccount.annotations eks.amazonaws.com/role-arn)."
  value       = aws_iam_role.analytics.arn
}

output "cost_allocation_tag" {
  description = "The cost-allocation tag on every resource (COST_ALLOCATION_TAG_KEY/VALUE of the analytics service)."
  value       = { key = var.cost_allocation_tag_key, value = var.cost_allocation_tag_value }
}
