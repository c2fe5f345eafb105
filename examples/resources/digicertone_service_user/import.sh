# Import a service user by its id (a UUID)...
terraform import digicertone_service_user.release_signing 7e6d1c52-5f0f-4c8e-9a51-2d2b8e1f3a10

# ...or by its friendly name. DigiCert ONE shows a token only once, so an
# imported service user has a null token until rotation_triggers changes.
terraform import digicertone_service_user.release_signing "release-signing bot"
