// Import of an existing service user by id (ImportResourceState). Read runs
// next and fills in every attribute except the token.

import type {
  ImportRequest,
  ImportResponse,
} from "../../framework/types";
import {
  commandParagraph,
  errorDiagnostic,
  quote,
  warningDiagnostic,
} from "../../validation/diagnostics";
import { emptyState } from "./state";

/** Returns a state holding only the id, with a warning that the token is lost. */
export function importServiceUser(request: ImportRequest): ImportResponse {
  const id = request.id;
  if (id === "" || /\s/.test(id)) {
    return {
      imported: [],
      diagnostics: [
        errorDiagnostic(
          "Invalid import id",
          `The import id ${quote(id)} is not a service user id: it is empty or contains whitespace. Pass the id (a UUID) that DigiCert ONE shows for the service user, such as:` +
            commandParagraph(
              "terraform import digicertone_service_user.bot 7e6d1c52-5f0f-4c8e-9a51-2d2b8e1f3a10",
            ),
        ),
      ],
    };
  }
  return {
    imported: [{ state: emptyState(id) }],
    diagnostics: [
      warningDiagnostic(
        "Imported service user has no token",
        "DigiCert ONE returns a service user's API token only once, at creation, so the imported service user's token attribute is null. " +
          "To get a token, replace the service user, which deletes it and creates a new one with a new id and token:" +
          commandParagraph("terraform apply -replace=<resource address>"),
      ),
    ],
  };
}
