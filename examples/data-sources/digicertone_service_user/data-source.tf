data "digicertone_service_user" "release_signing" {
  name = "release-signing bot"
}

output "release_signing_expires_at" {
  value = data.digicertone_service_user.release_signing.expires_at
}
