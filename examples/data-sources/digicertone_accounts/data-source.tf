data "digicertone_accounts" "all" {}

output "active_account_ids" {
  value = [for account in data.digicertone_accounts.all.accounts : account.id if account.active]
}
