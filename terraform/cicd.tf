# CodePipeline (source: a CodeConnections connection to the repository) and the CodeBuild project
# that runs buildspec.yml: test, bundle, image, terraform apply, helm upgrade. Created only when
# source_connection_arn and source_repository are set.

locals {
  pipeline_enabled = var.source_connection_arn != "" && var.source_repository != ""
}

resource "aws_s3_bucket" "pipeline" {
  count         = local.pipeline_enabled ? 1 : 0
  bucket_prefix = "${local.name}-pipeline-"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "pipeline" {
  count                   = local.pipeline_enabled ? 1 : 0
  bucket                  = aws_s3_bucket.pipeline[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "pipeline" {
  count  = local.pipeline_enabled ? 1 : 0
  bucket = aws_s3_bucket.pipeline[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "pipeline" {
  count  = local.pipeline_enabled ? 1 : 0
  bucket = aws_s3_bucket.pipeline[0].id
  rule {
    id     = "expire-artifacts"
    status = "Enabled"
    filter {
      prefix = ""
    }
    expiration {
      days = 30
    }
  }
}

resource "aws_cloudwatch_log_group" "codebuild" {
  count             = local.pipeline_enabled ? 1 : 0
  name              = "/aws/codebuild/${local.name}"
  retention_in_days = var.log_retention_days
}

# ---------------------------------------------------------------------------------------------------
# CodeBuild
# ---------------------------------------------------------------------------------------------------

resource "aws_iam_role" "codebuild" {
  count              = local.pipeline_enabled ? 1 : 0
  name               = "${local.name}-codebuild"
  assume_role_policy = data.aws_iam_policy_document.service_assume["codebuild"].json
}

data "aws_iam_policy_document" "codebuild" {
  count = local.pipeline_enabled ? 1 : 0

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.codebuild[0].arn}:*"]
  }

  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${aws_s3_bucket.pipeline[0].arn}/*"]
  }

  statement {
    sid = "Reports"
    actions = [
      "codebuild:BatchPutCodeCoverages",
      "codebuild:BatchPutTestCases",
      "codebuild:CreateReport",
      "codebuild:CreateReportGroup",
      "codebuild:UpdateReport",
    ]
    resources = ["arn:${local.partition}:codebuild:${var.aws_region}:${local.account_id}:report-group/${local.name}-*"]
  }

  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # star-resource: ecr:GetAuthorizationToken is account-wide and supports no resource-level permission.
    resources = ["*"]
  }

  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.analytics.arn]
  }

  statement {
    sid       = "Kubeconfig"
    actions   = ["eks:DescribeCluster"]
    resources = [aws_eks_cluster.main.arn]
  }

  statement {
    sid       = "SourceConnection"
    actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
    resources = [var.source_connection_arn]
  }
}

resource "aws_iam_role_policy" "codebuild" {
  count  = local.pipeline_enabled ? 1 : 0
  name   = "codebuild"
  role   = aws_iam_role.codebuild[0].id
  policy = data.aws_iam_policy_document.codebuild[0].json
}

# terraform apply needs the deployer permissions of docs/deploy.md: attached from managed policies
# the account owner chooses, not granted wholesale here.
resource "aws_iam_role_policy_attachment" "codebuild_deployer" {
  for_each   = local.pipeline_enabled ? toset(var.deployer_policy_arns) : toset([])
  role       = aws_iam_role.codebuild[0].name
  policy_arn = each.value
}

resource "aws_codebuild_project" "orderops" {
  count                  = local.pipeline_enabled ? 1 : 0
  name                   = local.name
  description            = "OrderOps: test, bundle, build the analytics image, terraform apply, helm upgrade"
  service_role           = aws_iam_role.codebuild[0].arn
  build_timeout          = 60
  queued_timeout         = 120
  encryption_key         = "alias/aws/s3"
  concurrent_build_limit = 1

  artifacts {
    type = "CODEPIPELINE"
  }

  source {
    type      = "CODEPIPELINE"
    buildspec = "buildspec.yml"
  }

  environment {
    # Graviton, like the Lambdas and the EKS nodes: the image it builds runs on arm64 nodes.
    compute_type    = "BUILD_GENERAL1_LARGE"
    image           = "aws/codebuild/amazonlinux-aarch64-standard:3.0"
    type            = "ARM_CONTAINER"
    privileged_mode = true # docker build

    environment_variable {
      name  = "AWS_ACCOUNT_ID"
      value = local.account_id
    }
    environment_variable {
      name  = "ECR_REPOSITORY_URI"
      value = aws_ecr_repository.analytics.repository_url
    }
    environment_variable {
      name  = "EKS_CLUSTER_NAME"
      value = aws_eks_cluster.main.name
    }
    environment_variable {
      name  = "TF_STATE_BUCKET"
      value = var.state_bucket
    }
    environment_variable {
      name  = "TF_STATE_KEY"
      value = "${var.project}/${var.environment}/terraform.tfstate"
    }
    environment_variable {
      # The operator's terraform.tfvars, uploaded next to the state (docs/deploy.md).
      name  = "TF_VARS_KEY"
      value = "${var.project}/${var.environment}/terraform.tfvars"
    }
    environment_variable {
      name  = "TF_VAR_environment"
      value = var.environment
    }
    environment_variable {
      name  = "TF_VAR_source_connection_arn"
      value = var.source_connection_arn
    }
    environment_variable {
      name  = "TF_VAR_source_repository"
      value = var.source_repository
    }
    environment_variable {
      name  = "TF_VAR_state_bucket"
      value = var.state_bucket
    }
    environment_variable {
      name  = "ANALYTICS_NAMESPACE"
      value = var.analytics_namespace
    }
    environment_variable {
      name  = "ANALYTICS_SERVICE_ACCOUNT"
      value = var.analytics_service_account
    }
  }

  logs_config {
    cloudwatch_logs {
      group_name = aws_cloudwatch_log_group.codebuild[0].name
    }
  }
}

# ---------------------------------------------------------------------------------------------------
# CodePipeline
# ---------------------------------------------------------------------------------------------------

resource "aws_iam_role" "codepipeline" {
  count              = local.pipeline_enabled ? 1 : 0
  name               = "${local.name}-codepipeline"
  assume_role_policy = data.aws_iam_policy_document.service_assume["codepipeline"].json
}

data "aws_iam_policy_document" "codepipeline" {
  count = local.pipeline_enabled ? 1 : 0

  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetBucketVersioning", "s3:PutObject", "s3:PutObjectAcl"]
    resources = [aws_s3_bucket.pipeline[0].arn, "${aws_s3_bucket.pipeline[0].arn}/*"]
  }

  statement {
    sid       = "Source"
    actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
    resources = [var.source_connection_arn]
  }

  statement {
    sid       = "Build"
    actions   = ["codebuild:BatchGetBuilds", "codebuild:StartBuild"]
    resources = [aws_codebuild_project.orderops[0].arn]
  }
}

resource "aws_iam_role_policy" "codepipeline" {
  count  = local.pipeline_enabled ? 1 : 0
  name   = "codepipeline"
  role   = aws_iam_role.codepipeline[0].id
  policy = data.aws_iam_policy_document.codepipeline[0].json
}

resource "aws_codepipeline" "orderops" {
  count          = local.pipeline_enabled ? 1 : 0
  name           = local.name
  role_arn       = aws_iam_role.codepipeline[0].arn
  pipeline_type  = "V2"
  execution_mode = "QUEUED"

  artifact_store {
    location = aws_s3_bucket.pipeline[0].bucket
    type     = "S3"
  }

  stage {
    name = "Source"
    action {
      name             = "Source"
      category         = "Source"
      owner            = "AWS"
      provider         = "CodeStarSourceConnection"
      version          = "1"
      output_artifacts = ["source"]
      configuration = {
        ConnectionArn        = var.source_connection_arn
        FullRepositoryId     = var.source_repository
        BranchName           = var.source_branch
        OutputArtifactFormat = "CODEBUILD_CLONE_REF"
      }
    }
  }

  stage {
    name = "BuildTestDeploy"
    action {
      name            = "BuildTestDeploy"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["source"]
      configuration = {
        ProjectName = aws_codebuild_project.orderops[0].name
      }
    }
  }
}
