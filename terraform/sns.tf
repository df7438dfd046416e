# Order notifications: JSON messages with the attributes status, eventType and orderId, so a
# subscription can filter (the email subscription below takes every message).
resource "aws_sns_topic" "orders" {
  name              = "${local.name}-order-notifications"
  kms_master_key_id = aws_kms_key.sns.arn
}

resource "aws_sns_topic_subscription" "orders_email" {
  count     = var.notification_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.orders.arn
  protocol  = "email"
  endpoint  = var.notification_email
}

# Alarm notifications.
resource "aws_sns_topic" "alarms" {
  name              = "${local.name}-alarms"
  kms_master_key_id = aws_kms_key.sns.arn
}

resource "aws_sns_topic_subscription" "alarms_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
