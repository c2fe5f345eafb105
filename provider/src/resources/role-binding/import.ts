// Import of an existing manager's roles on a service user as a role binding
// (ImportResourceState). Read runs next and fills in the roles.

import type { ImportRequest, ImportResponse } from "../../framework/types";
import {
  commandParagraph,
  errorDiagnostic,
  quote,
} from "../../validation/diagnostics";
import { bindingId, parseBindingId } from "./state";

/** Returns a state with the service user id and manager from the import id. */
export function importRoleBinding(request: ImportRequest): ImportResponse {
  const parts = parseBindingId(request.id);
  if (parts === undefined) {
    return {
      imported: [],
      diagnostics: [
        errorDiagnostic(
          "Invalid import id",
          `The import id ${quote(request.id)} is not a role binding id. Pass the service user's id and the manager code, separated by "/", such as:` +
            commandParagraph(
              "terraform import digicertone_service_user_role_binding.signer 7e6d1c52-5f0f-4c8e-9a51-2d2b8e1f3a10/software_trust",
            ),
        ),
      ],
    };
  }
  return {
    imported: [
      {
        state: {
          id: bindingId(parts.serviceUserId, parts.manager),
          service_user_id: parts.serviceUserId,
          manager: parts.manager,
          roles: null,
        },
      },
    ],
  };
}
