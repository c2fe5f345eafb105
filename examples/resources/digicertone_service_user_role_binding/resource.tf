# A service user that another configuration owns, such as the platform
# team's. This configuration grants only its own manager's roles.
data "digicertone_service_user" "release_signing" {
  name = "release-signing bot"
}

resource "digicertone_service_user_role_binding" "document_signing" {
  service_user_id = data.digicertone_service_user.release_signing.id
  manager         = "document_trust"
  roles           = ["DSM_SIGNER"]
}
