# The import id is the service user's id and the manager code, joined by "/".
terraform import digicertone_service_user_role_binding.document_signing 7e6d1c52-5f0f-4c8e-9a51-2d2b8e1f3a10/document_trust
