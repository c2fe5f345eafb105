data "digicertone_account" "platform" {
  name = "Acme Platform Engineering"
}

output "platform_account_id" {
  value = data.digicertone_account.platform.id
}
