// Import of an existing service user by id or by friendly name
// (ImportResourceState). Read runs next and fills in every attribute except
// the token.

import { findByName } from "../../data-sources/service-user";
import type { DigicertClient, ServiceUser } from "../../digicert/types";
import type {
  CallContext,
  Diagnostic,
  ImportRequest,
  ImportResponse,
} from "../../framework/types";
import type { Logger } from "../../log";
import {
  commandParagraph,
  errorDiagnostic,
  joinWithAnd,
  quote,
  warningDiagnostic,
} from "../../validation/diagnostics";
import { apiErrorDiagnostic } from "../api-errors";
import { emptyState } from "./state";

/** A service user id as DigiCert ONE assigns it: a UUID, in any letter case. */
const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EXAMPLE_COMMANDS =
  commandParagraph(
    "terraform import digicertone_service_user.bot 7e6d1c52-5f0f-4c8e-9a51-2d2b8e1f3a10",
  ) + commandParagraph('terraform import digicertone_service_user.bot "release-signing bot"');

/**
 * Returns a state that contains only the id, with a warning that the token is
 * lost. An import id that is a UUID is taken as the service user's id.
 * Any other is a friendly name, looked up without regard to letter case
 * through the list of service users.
 */
export async function importServiceUser(
  request: ImportRequest,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ImportResponse> {
  const importId = request.id;
  if (importId.trim() === "") {
    return failure(
      errorDiagnostic(
        "Invalid import id",
        `The import id ${quote(importId)} is empty. Pass the service user's id (a UUID) or its friendly name, such as:` +
          EXAMPLE_COMMANDS,
      ),
    );
  }

  let id = importId;
  if (!UUID_PATTERN.test(importId)) {
    const found = await findIdByName(importId, client, context, logger);
    if (typeof found !== "string") return failure(found);
    id = found;
  }
  return {
    imported: [{ state: emptyState(id) }],
    diagnostics: [
      warningDiagnostic(
        "Imported service user has no token",
        "DigiCert ONE returns an API token only once, when it issues it, so the imported service user's token attribute is null. " +
          "To get a token, add rotation_triggers to the resource's configuration, or change them: the next apply issues a new token in place, keeping the service user's id, and retires the tokens it had (see token_overlap_days). For example:" +
          commandParagraph('rotation_triggers = { imported = "1" }'),
      ),
    ],
  };
}

function failure(diagnostic: Diagnostic): ImportResponse {
  return { imported: [], diagnostics: [diagnostic] };
}

/** Returns the id of the service user named `name`, or an error diagnostic. */
async function findIdByName(
  name: string,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<string | Diagnostic> {
  const subject = `service user ${quote(name)}`;
  let users: ServiceUser[];
  try {
    logger.debug("Listing service users to import one by name");
    users = await client.listServiceUsers(context.signal);
  } catch (error) {
    logger.debug("Listing service users for import failed", { error });
    return apiErrorDiagnostic(error, { action: "read", subject }, context.signal);
  }

  const matches = findByName(users, name);
  if (matches.length === 1) return matches[0].id;
  if (matches.length > 1) {
    const ids = joinWithAnd(matches.map((user) => user.id));
    return errorDiagnostic(
      "Ambiguous service user name",
      `${matches.length} service users match the name ${quote(name)} without regard to letter case, with the ids ${ids}. Import the service user by id instead:` +
        commandParagraph(`terraform import <resource address> ${matches[0].id}`),
    );
  }
  return errorDiagnostic(
    "Service user not found",
    `No service user is named ${quote(name)}, with letter case ignored, or the provider's API key cannot see it. Check the name, or import the service user by its id (a UUID), such as:` +
      EXAMPLE_COMMANDS,
  );
}
