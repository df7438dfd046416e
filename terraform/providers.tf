provider "aws" {
  region = var.aws_region

  # Every taggable resource gets these tags; the cost-allocation tag is what Cost Explorer filters on
  # (activate it once in Billing > Cost allocation tags) and what the analytics service asks for.
  default_tags {
    tags = local.tags
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}
