# Remote state in S3 with S3-native locking. The settings are given at init time, so no account id
# or bucket name lives in the code: `terraform init -backend-config=backend.hcl` (see
# backend.hcl.example), or -backend-config="bucket=..." flags as buildspec.yml does.
terraform {
  backend "s3" {}
}
