# The service users that the GitOps workflows in ../workflows plan on each
# pull request and apply on merge. The provider reads DIGICERT_ONE_URL and
# DIGICERT_ONE_API_KEY from the environment.
#
# The plan job and the apply job run on different machines, so they must
# share the Terraform state: add a backend block, such as "s3", "gcs",
# "azurerm" or "pg", before you use the workflows. The state contains the
# service users' API tokens, so restrict access to it.

terraform {
  required_version = ">= 1.11"

  required_providers {
    digicertone = {
      source = "digicert/digicertone"
    }
  }
}

provider "digicertone" {}

data "digicertone_account" "platform" {
  name = "Acme Platform Engineering"
}

resource "digicertone_service_user" "deploy_bot" {
  name            = "gitops deploy bot"
  description     = "Deploys the platform's services"
  email           = "platform-team@example.com"
  expiration_date = "2030-06-30"
  account_ids     = [data.digicertone_account.platform.id]

  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
