# The analytics pods' role (IRSA): read-only on the orders table and its indexes, Cost Explorer
# read, nothing else. Only the chart's service account in its namespace can assume it.

locals {
  oidc_issuer = replace(aws_iam_openid_connect_provider.eks.url, "https://", "")
}

data "aws_iam_policy_document" "analytics_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.analytics_namespace}:${var.analytics_service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "analytics" {
  name               = "${local.name}-analytics"
  assume_role_policy = data.aws_iam_policy_document.analytics_assume.json
}

data "aws_iam_policy_document" "analytics" {
  statement {
    sid = "ReadOrdersTable"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:Query",
    ]
    resources = [
      aws_dynamodb_table.orders.arn,
      "${aws_dynamodb_table.orders.arn}/index/GSI1",
      "${aws_dynamodb_table.orders.arn}/index/GSI2",
    ]
  }

  statement {
    sid     = "CostExplorerRead"
    actions = ["ce:GetCostAndUsage", "ce:GetCostForecast"]
    # star-resource: Cost Explorer's GetCostAndUsage and GetCostForecast support no resource-level
    # permissions; the service filters every request on the cost-allocation tag instead.
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "analytics" {
  name   = "analytics"
  role   = aws_iam_role.analytics.id
  policy = data.aws_iam_policy_document.analytics.json
}
