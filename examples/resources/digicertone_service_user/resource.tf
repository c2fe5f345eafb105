data "digicertone_account" "platform" {
  name = "Acme Platform Engineering"
}

resource "digicertone_service_user" "release_signing" {
  name            = "release-signing bot"
  description     = "Signs release builds in the CI pipeline"
  email           = "release-engineering@example.com"
  expiration_date = "2030-06-30"
  account_ids     = [data.digicertone_account.platform.id]

  access = {
    software_trust  = { roles = ["SM_SIGNER"] }
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }

  # Change a value to issue a new token in place; the old token keeps
  # working for token_overlap_days.
  rotation_triggers = {
    rotated = "2027-01"
  }
  token_overlap_days = 7
}

output "release_signing_token" {
  value     = digicertone_service_user.release_signing.token
  sensitive = true
}
