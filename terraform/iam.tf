# Least-privilege roles of the two functions: actions named one by one, resources scoped to this
# stack's table, indexes, stream, bucket prefix, topic, key and model. A "*" resource appears only
# where AWS offers no narrower one, each time with a `star-resource:` comment saying why.

# Trust policies of the roles AWS services assume (Lambda, EKS, EC2 nodes, CodeBuild, CodePipeline).
data "aws_iam_policy_document" "service_assume" {
  for_each = toset(["lambda", "eks", "ec2", "codebuild", "codepipeline"])

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["${each.key}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  for_each           = local.lambda_functions
  name               = "${local.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.service_assume["lambda"].json
}

resource "aws_iam_role_policy" "lambda" {
  for_each = {
    order-api    = data.aws_iam_policy_document.order_api.json
    order-events = data.aws_iam_policy_document.order_events.json
  }
  name   = each.key
  role   = aws_iam_role.lambda[each.key].id
  policy = each.value
}

# ---------------------------------------------------------------------------------------------------
# Order API
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "order_api" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda["order-api"].arn}:*"]
  }

  statement {
    sid = "OrdersTable"
    actions = [
      "dynamodb:ConditionCheckItem",
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = [aws_dynamodb_table.orders.arn]
  }

  statement {
    sid       = "BedrockModel"
    actions   = ["bedrock:InvokeModel"]
    resources = [local.bedrock_model_arn]
  }

  statement {
    sid     = "XRay"
    actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    # star-resource: X-Ray trace segments have no resource-level permissions.
    resources = ["*"]
  }
}

# ---------------------------------------------------------------------------------------------------
# Order events
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "order_events" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda["order-events"].arn}:*"]
  }

  statement {
    sid       = "ReadTableStream"
    actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    resources = [aws_dynamodb_table.orders.stream_arn]
  }

  statement {
    sid     = "ListStreams"
    actions = ["dynamodb:ListStreams"]
    # star-resource: ListStreams supports no resource-level permission; it only lists stream ARNs.
    resources = ["*"]
  }

  statement {
    sid       = "DeadLetterQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.order_events_dlq.arn]
  }

  statement {
    sid       = "ArchivePrefix"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.archive.arn}/${var.archive_prefix}*"]
  }

  statement {
    sid       = "NotificationTopic"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.orders.arn]
  }

  statement {
    sid       = "NotificationTopicKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.sns.arn]
  }

  statement {
    sid     = "XRay"
    actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    # star-resource: X-Ray trace segments have no resource-level permissions.
    resources = ["*"]
  }
}
