# A service user for a release-signing build server, declared against the
# local DigiCert ONE emulator. The provider reads DIGICERT_ONE_URL and
# DIGICERT_ONE_API_KEY from the environment; see the README.

terraform {
  required_providers {
    digicertone = {
      source = "digicert/digicertone"
    }
  }
}

provider "digicertone" {}

resource "digicertone_service_user" "release_signing" {
  name            = "release-signing bot"
  description     = "Signs release builds in the CI pipeline"
  email           = "platform-team@example.com"
  expiration_date = "2030-06-30"

  # "Acme Platform Engineering", an account of the emulator's seed catalogue.
  account_ids = ["510f00f0-90ee-4ee2-b52f-0152c01d18eb"]

  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}

output "release_signing_token" {
  description = "The service user's API token. Shown once by DigiCert ONE; read it with terraform output -raw."
  value       = digicertone_service_user.release_signing.token
  sensitive   = true
}
