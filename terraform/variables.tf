# ---------------------------------------------------------------------------------------------------
# General
# ---------------------------------------------------------------------------------------------------

variable "aws_region" {
  type        = string
  description = "AWS region of the whole stack (Bedrock model access must be granted in this region)."
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region code such as us-east-1."
  }
}

variable "project" {
  type        = string
  description = "Project name, the first part of every resource name."
  default     = "orderops"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.project))
    error_message = "project must be 2-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Deployment environment, the second part of every resource name."
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "cost_allocation_tag_key" {
  type        = string
  description = "Cost-allocation tag key put on every resource (activate it in Billing); the analytics service filters Cost Explorer on it."
  default     = "project"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.:/=+@-]{1,128}$", var.cost_allocation_tag_key)) && !startswith(var.cost_allocation_tag_key, "aws:")
    error_message = "cost_allocation_tag_key must be a valid tag key (1-128 characters, not starting with aws:)."
  }
}

variable "cost_allocation_tag_value" {
  type        = string
  description = "Value of the cost-allocation tag."
  default     = "orderops"

  validation {
    condition     = length(var.cost_allocation_tag_value) >= 1 && length(var.cost_allocation_tag_value) <= 256
    error_message = "cost_allocation_tag_value must be 1-256 characters."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource (team, owner...), merged under the cost-allocation tag."
  default     = {}
}

variable "log_retention_days" {
  type        = number
  description = "Retention of every CloudWatch log group, in days."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "log_level" {
  type        = string
  description = "POWERTOOLS_LOG_LEVEL of both Lambdas."
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT."
  }
}

# ---------------------------------------------------------------------------------------------------
# Lambdas
# ---------------------------------------------------------------------------------------------------

variable "order_api_zip" {
  type        = string
  description = "Path of the order API bundle (esbuild, ESM, handler index.handler)."
  default     = "../lambda-order-processor/dist/bundles/order-api.zip"

  validation {
    condition     = endswith(var.order_api_zip, ".zip")
    error_message = "order_api_zip must be the path of a .zip file."
  }
}

variable "order_events_zip" {
  type        = string
  description = "Path of the order events bundle (esbuild, ESM, handler index.handler)."
  default     = "../lambda-order-processor/dist/bundles/order-events.zip"

  validation {
    condition     = endswith(var.order_events_zip, ".zip")
    error_message = "order_events_zip must be the path of a .zip file."
  }
}

variable "order_api_memory_mb" {
  type        = number
  description = "Memory of the order API Lambda in MB (the cost model reads it from the runtime)."
  default     = 512

  validation {
    condition     = var.order_api_memory_mb >= 128 && var.order_api_memory_mb <= 10240
    error_message = "order_api_memory_mb must be from 128 to 10240."
  }
}

variable "order_api_timeout_seconds" {
  type        = number
  description = "Timeout of the order API Lambda in seconds (API Gateway HTTP APIs answer within 30 s)."
  default     = 10

  validation {
    condition     = var.order_api_timeout_seconds >= 3 && var.order_api_timeout_seconds <= 29
    error_message = "order_api_timeout_seconds must be from 3 to 29."
  }
}

variable "order_api_reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the order API Lambda; -1 leaves it unreserved."
  default     = -1

  validation {
    condition     = var.order_api_reserved_concurrency == -1 || var.order_api_reserved_concurrency >= 1
    error_message = "order_api_reserved_concurrency must be -1 (unreserved) or at least 1."
  }
}

variable "order_events_memory_mb" {
  type        = number
  description = "Memory of the order events Lambda in MB."
  default     = 256

  validation {
    condition     = var.order_events_memory_mb >= 128 && var.order_events_memory_mb <= 10240
    error_message = "order_events_memory_mb must be from 128 to 10240."
  }
}

variable "order_events_timeout_seconds" {
  type        = number
  description = "Timeout of the order events Lambda in seconds."
  default     = 60

  validation {
    condition     = var.order_events_timeout_seconds >= 3 && var.order_events_timeout_seconds <= 900
    error_message = "order_events_timeout_seconds must be from 3 to 900."
  }
}

variable "order_events_reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the order events Lambda; -1 leaves it unreserved."
  default     = -1

  validation {
    condition     = var.order_events_reserved_concurrency == -1 || var.order_events_reserved_concurrency >= 1
    error_message = "order_events_reserved_concurrency must be -1 (unreserved) or at least 1."
  }
}

variable "stream_batch_size" {
  type        = number
  description = "Stream records per events Lambda invocation."
  default     = 25

  validation {
    condition     = var.stream_batch_size >= 1 && var.stream_batch_size <= 1000
    error_message = "stream_batch_size must be from 1 to 1000."
  }
}

variable "stream_maximum_retry_attempts" {
  type        = number
  description = "Retries of a failing stream batch (halved each time by bisect-on-error) before the records go to the dead-letter queue."
  default     = 5

  validation {
    condition     = var.stream_maximum_retry_attempts >= 0 && var.stream_maximum_retry_attempts <= 10000
    error_message = "stream_maximum_retry_attempts must be from 0 to 10000."
  }
}

variable "stream_maximum_batching_window_seconds" {
  type        = number
  description = "How long the stream mapping gathers records before invoking the events Lambda."
  default     = 1

  validation {
    condition     = var.stream_maximum_batching_window_seconds >= 0 && var.stream_maximum_batching_window_seconds <= 300
    error_message = "stream_maximum_batching_window_seconds must be from 0 to 300."
  }
}

# ---------------------------------------------------------------------------------------------------
# Screening and AI
# ---------------------------------------------------------------------------------------------------

variable "ai_provider" {
  type        = string
  description = "AI analyst of the order API on AWS: bedrock or none (rules and velocity decide alone)."
  default     = "bedrock"

  validation {
    condition     = contains(["none", "bedrock"], var.ai_provider)
    error_message = "ai_provider must be none or bedrock."
  }
}

variable "ai_mode" {
  type        = string
  description = "When the AI analyst is asked: gray-zone (review band only), always, never."
  default     = "gray-zone"

  validation {
    condition     = contains(["gray-zone", "always", "never"], var.ai_mode)
    error_message = "ai_mode must be gray-zone, always or never."
  }
}

variable "ai_timeout_ms" {
  type        = number
  description = "How long the AI analyst may take before the rules decision stands alone (ms)."
  default     = 2000

  validation {
    condition     = var.ai_timeout_ms >= 50 && var.ai_timeout_ms <= 60000
    error_message = "ai_timeout_ms must be from 50 to 60000."
  }
}

variable "bedrock_model_id" {
  type        = string
  description = "Bedrock Converse model id; the order Lambda may invoke this model only (it must be in the price catalog)."
  default     = "amazon.nova-micro-v1:0"

  validation {
    condition     = can(regex("^[a-z0-9-]+\\.[A-Za-z0-9.:-]+$", var.bedrock_model_id))
    error_message = "bedrock_model_id must be a foundation model id such as amazon.nova-micro-v1:0."
  }
}

variable "reject_below_score" {
  type        = number
  description = "Scores below this are REJECTED."
  default     = 4

  validation {
    condition     = var.reject_below_score >= 0 && var.reject_below_score <= 10
    error_message = "reject_below_score must be from 0 to 10."
  }
}

variable "approve_from_score" {
  type        = number
  description = "Scores from this up are APPROVED (between the two: PENDING_REVIEW)."
  default     = 7

  validation {
    condition     = var.approve_from_score >= 0 && var.approve_from_score <= 10
    error_message = "approve_from_score must be from 0 to 10."
  }
}

# ---------------------------------------------------------------------------------------------------
# Data: table, archive, notifications
# ---------------------------------------------------------------------------------------------------

variable "rollup_shards" {
  type        = number
  description = "Daily rollup items per day (ROLLUP_SHARDS): more shards spread a busy day's counter updates."
  default     = 10

  validation {
    condition     = var.rollup_shards >= 1 && var.rollup_shards <= 100
    error_message = "rollup_shards must be from 1 to 100."
  }
}

variable "table_deletion_protection" {
  type        = bool
  description = "Deletion protection on the orders table (turn off only to destroy the stack)."
  default     = true
}

variable "archive_prefix" {
  type        = string
  description = "Key prefix of the order archive in the bucket (ARCHIVE_PREFIX); the events Lambda may write under it only."
  default     = "orders/"

  validation {
    condition     = can(regex("^([a-z0-9][a-z0-9-]*/)+$", var.archive_prefix))
    error_message = "archive_prefix must be lowercase segments each ending with a slash, such as orders/."
  }
}

variable "archive_glacier_after_days" {
  type        = number
  description = "Days after which archived order events move to S3 Glacier Flexible Retrieval."
  default     = 90

  validation {
    condition     = var.archive_glacier_after_days >= 1
    error_message = "archive_glacier_after_days must be at least 1."
  }
}

variable "archive_force_destroy" {
  type        = bool
  description = "Let terraform destroy delete a non-empty archive bucket."
  default     = false
}

variable "notification_email" {
  type        = string
  description = "Email subscribed to order notifications (confirm the subscription mail); empty for none."
  default     = ""

  validation {
    condition     = var.notification_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.notification_email))
    error_message = "notification_email must be empty or an email address."
  }
}

variable "alarm_email" {
  type        = string
  description = "Email subscribed to the alarms topic; empty for none."
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an email address."
  }
}

# ---------------------------------------------------------------------------------------------------
# API and alarms
# ---------------------------------------------------------------------------------------------------

variable "api_throttling_rate_limit" {
  type        = number
  description = "Steady-state requests per second of the HTTP API's default stage."
  default     = 50

  validation {
    condition     = var.api_throttling_rate_limit >= 1
    error_message = "api_throttling_rate_limit must be at least 1."
  }
}

variable "api_throttling_burst_limit" {
  type        = number
  description = "Burst of the HTTP API's default stage."
  default     = 100

  validation {
    condition     = var.api_throttling_burst_limit >= 1
    error_message = "api_throttling_burst_limit must be at least 1."
  }
}

variable "rejection_rate_alarm_percent" {
  type        = number
  description = "Alarm when more than this share of the orders of 15 minutes are rejected."
  default     = 40

  validation {
    condition     = var.rejection_rate_alarm_percent > 0 && var.rejection_rate_alarm_percent <= 100
    error_message = "rejection_rate_alarm_percent must be above 0 and at most 100."
  }
}

variable "cost_per_order_alarm_dollars" {
  type        = number
  description = "Alarm when the average processing cost per order over an hour exceeds this (dollars)."
  default     = 0.001

  validation {
    condition     = var.cost_per_order_alarm_dollars > 0
    error_message = "cost_per_order_alarm_dollars must be positive."
  }
}

# ---------------------------------------------------------------------------------------------------
# EKS and the analytics service
# ---------------------------------------------------------------------------------------------------

variable "vpc_cidr" {
  type        = string
  description = "CIDR of the VPC the EKS cluster runs in."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block."
  }
}

variable "eks_cluster_version" {
  # A version past its 14 months of standard support bills the control plane at the extended-support
  # rate (six times the standard one, docs/deploy.md): keep this current.
  type        = string
  description = "Kubernetes version of the EKS cluster (keep it within EKS standard support)."
  default     = "1.35"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.eks_cluster_version))
    error_message = "eks_cluster_version must look like 1.35."
  }
}

variable "eks_public_access_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to reach the EKS API endpoint (narrow it to your office or CI egress)."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.eks_public_access_cidrs) > 0 && alltrue([for cidr in var.eks_public_access_cidrs : can(cidrnetmask(cidr))])
    error_message = "eks_public_access_cidrs must be a non-empty list of IPv4 CIDR blocks."
  }
}

variable "eks_node_instance_types" {
  type        = list(string)
  description = "Instance types of the node group (Graviton: the node AMI is arm64)."
  default     = ["t4g.medium"]

  validation {
    condition     = length(var.eks_node_instance_types) > 0
    error_message = "eks_node_instance_types must not be empty."
  }
}

variable "eks_node_min_size" {
  type        = number
  description = "Minimum nodes."
  default     = 1

  validation {
    condition     = var.eks_node_min_size >= 0
    error_message = "eks_node_min_size must not be negative."
  }
}

variable "eks_node_desired_size" {
  type        = number
  description = "Desired nodes at creation (the cluster autoscaler or you change it later)."
  default     = 2

  validation {
    condition     = var.eks_node_desired_size >= 0
    error_message = "eks_node_desired_size must not be negative."
  }
}

variable "eks_node_max_size" {
  type        = number
  description = "Maximum nodes."
  default     = 3

  validation {
    condition     = var.eks_node_max_size >= 1
    error_message = "eks_node_max_size must be at least 1."
  }
}

variable "analytics_namespace" {
  type        = string
  description = "Kubernetes namespace of the analytics release (the IRSA trust is scoped to it)."
  default     = "orderops"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.analytics_namespace))
    error_message = "analytics_namespace must be a DNS label."
  }
}

variable "analytics_service_account" {
  type        = string
  description = "Service account of the analytics pods (the Helm chart's serviceAccount.name)."
  default     = "orderops-analytics"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.analytics_service_account))
    error_message = "analytics_service_account must be a DNS label."
  }
}

variable "ecr_keep_images" {
  type        = number
  description = "Tagged images the ECR lifecycle policy keeps (untagged ones expire after a day)."
  default     = 20

  validation {
    condition     = var.ecr_keep_images >= 1
    error_message = "ecr_keep_images must be at least 1."
  }
}

# ---------------------------------------------------------------------------------------------------
# Delivery pipeline
# ---------------------------------------------------------------------------------------------------

variable "source_connection_arn" {
  type        = string
  description = "ARN of an AVAILABLE CodeConnections (CodeStar) connection to the source repository; empty creates no pipeline."
  default     = ""

  validation {
    condition     = var.source_connection_arn == "" || can(regex("^arn:aws[a-z-]*:(codestar-connections|codeconnections):", var.source_connection_arn))
    error_message = "source_connection_arn must be empty or a CodeConnections connection ARN."
  }
}

variable "source_repository" {
  type        = string
  description = "Full repository id the pipeline builds (owner/name)."
  default     = ""

  validation {
    condition     = var.source_repository == "" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.source_repository))
    error_message = "source_repository must be empty or owner/name."
  }
}

variable "source_branch" {
  type        = string
  description = "Branch whose pushes start the pipeline."
  default     = "main"

  validation {
    condition     = length(var.source_branch) > 0
    error_message = "source_branch must not be empty."
  }
}

variable "state_bucket" {
  type        = string
  description = "Terraform state bucket CodeBuild initialises the backend with (TF_STATE_BUCKET in buildspec.yml)."
  default     = ""

  validation {
    condition     = var.state_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be empty or an S3 bucket name."
  }
}

variable "deployer_policy_arns" {
  type        = list(string)
  description = "Managed policies attached to the CodeBuild role so it can run terraform apply (see docs/deploy.md for the permissions a deployer needs)."
  default     = []

  validation {
    condition     = alltrue([for arn in var.deployer_policy_arns : can(regex("^arn:aws[a-z-]*:iam::", arn))])
    error_message = "deployer_policy_arns must be IAM policy ARNs."
  }
}
