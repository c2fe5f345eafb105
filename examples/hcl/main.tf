# The platform team's DigiCert ONE service users in plain HCL: the same three
# users, account lookups and role binding that the CDK for Terraform app in
# examples/app declares. The provider reads DIGICERT_ONE_URL and
# DIGICERT_ONE_API_KEY from the environment.

terraform {
  required_version = ">= 1.11"

  required_providers {
    digicertone = {
      source = "digicert/digicertone"
    }
  }
}

provider "digicertone" {}

variable "account_names" {
  description = "Exact names of the DigiCert ONE accounts the service users belong to. The default is the local emulator's two active accounts; set TF_VAR_account_names for a real tenant."
  type        = list(string)
  default     = ["Acme Platform Engineering", "Acme Product Security"]
}

# The plan fails when a name matches no account, or several.
data "digicertone_account" "accounts" {
  for_each = toset(var.account_names)
  name     = each.value
}

locals {
  account_ids = [for account in data.digicertone_account.accounts : account.id]
}

# End dates are UTC days: a token stops working after its day. The emulator
# rejects an end date in the past, as the project assumes DigiCert ONE does,
# so move these forward before then.

resource "digicertone_service_user" "release_signing_bot" {
  name            = "release-signing bot"
  description     = "Signs release builds in the CI pipeline with Software Trust"
  email           = "release-engineering@example.com"
  expiration_date = "2030-06-30"
  account_ids     = local.account_ids

  access = {
    software_trust = { roles = ["SM_SIGNER"] }
  }
}

resource "digicertone_service_user" "certificate_automation_bot" {
  name            = "certificate-automation bot"
  description     = "Issues and renews TLS certificates for the platform's services"
  email           = "pki-automation@example.com"
  expiration_date = "2030-12-31"
  account_ids     = local.account_ids

  access = {
    trust_lifecycle = { roles = ["EM_CERTIFICATE_MANAGER"] }
  }
}

resource "digicertone_service_user" "audit_reader" {
  name            = "audit reader"
  description     = "Reads accounts, users and the audit log for quarterly access reviews"
  email           = "security-audit@example.com"
  expiration_date = "2031-03-31"
  account_ids     = local.account_ids

  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}

# A role binding manages this manager, the way another team's configuration
# grants its own manager's roles. The user's access leaves it alone.
resource "digicertone_service_user_role_binding" "audit_reader_trust_lifecycle" {
  service_user_id = digicertone_service_user.audit_reader.id
  manager         = "trust_lifecycle"
  roles           = ["EM_VIEW_ONLY"]
}

# DigiCert ONE shows a token once, at creation, and Terraform keeps it in
# state. Read one with `terraform output -raw <name>`.

output "release_signing_bot_token" {
  description = "API token of the release-signing bot."
  value       = digicertone_service_user.release_signing_bot.token
  sensitive   = true
}

output "certificate_automation_bot_token" {
  description = "API token of the certificate-automation bot."
  value       = digicertone_service_user.certificate_automation_bot.token
  sensitive   = true
}

output "audit_reader_token" {
  description = "API token of the audit reader."
  value       = digicertone_service_user.audit_reader.token
  sensitive   = true
}

output "service_user_ids" {
  description = "DigiCert ONE ids of the service users, by name."
  value = {
    "release-signing bot"        = digicertone_service_user.release_signing_bot.id
    "certificate-automation bot" = digicertone_service_user.certificate_automation_bot.id
    "audit reader"               = digicertone_service_user.audit_reader.id
  }
}
