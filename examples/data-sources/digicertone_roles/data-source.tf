data "digicertone_roles" "software_trust" {
  manager = "software_trust"
}

# Roles that may sign hashes, for choosing a service user's access.
output "signing_roles" {
  value = [
    for role in data.digicertone_roles.software_trust.roles : role.code
    if contains(role.permissions, "SIGN_SM_HASH")
  ]
}
