data "digicertone_service_users" "ci_bots" {
  name_prefix = "ci-"
  status      = "ACTIVE"
}

output "ci_bot_names" {
  value = data.digicertone_service_users.ci_bots.users[*].name
}
