// The platform team's DigiCert ONE service users, declared with the
// construct library: one bot that signs releases, one that issues and renews
// certificates, and a read-only reader for audits. The accounts are looked
// up by name at plan.

import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";

import { DigicertOneAccounts, DigicertOneProvider, ServiceUser } from "../../constructs/src";
import { addStateBackend, stateBackendFromEnvironment } from "./backend";

/**
 * Names of the two active accounts that the local DigiCert ONE emulator
 * seeds. A real tenant replaces them by setting `TF_VAR_account_names` to a
 * JSON list of its own account names.
 */
export const EMULATOR_ACCOUNT_NAMES = ["Acme Platform Engineering", "Acme Product Security"];

export interface PlatformStackProps {
  /**
   * Environment that selects the state backend: PostgreSQL when
   * PG_CONN_STR is set, with the schema from DIGICERT_ONE_PG_SCHEMA.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
}

export class PlatformStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: PlatformStackProps = {}) {
    super(scope, id);

    // A local file next to cdktf.out, or the pg backend when PG_CONN_STR
    // is set. See backend.ts.
    addStateBackend(this, stateBackendFromEnvironment(id, props.env ?? process.env));

    // No url or region: the provider reads DIGICERT_ONE_URL, and the API key
    // comes from DIGICERT_ONE_API_KEY or the digicert_one_api_key variable.
    new DigicertOneProvider(this, "digicert-one");

    const accountNames = new TerraformVariable(this, "account_names", {
      type: "list(string)",
      description:
        "Exact names of the DigiCert ONE accounts the service users belong to. The default is the local emulator's two active accounts; set TF_VAR_account_names for a real tenant.",
      default: EMULATOR_ACCOUNT_NAMES,
    });
    // The plan fails when a name matches no account, or several.
    const accounts = new DigicertOneAccounts(this, "accounts", {
      names: accountNames.listValue,
    }).ids;

    // End dates are UTC days: a token stops working after its day. The
    // emulator rejects an end date in the past, as the project assumes
    // DigiCert ONE does, so move these forward before then.
    const releaseSigning = new ServiceUser(this, "release-signing", {
      name: "release-signing bot",
      description: "Signs release builds in the CI pipeline with Software Trust",
      email: "release-engineering@example.com",
      expiresOn: "2030-06-30",
      accounts,
      access: { software_trust: ["SM_SIGNER"] },
    });

    const certificateAutomation = new ServiceUser(this, "certificate-automation", {
      name: "certificate-automation bot",
      description: "Issues and renews TLS certificates for the platform's services",
      email: "pki-automation@example.com",
      expiresOn: "2030-12-31",
      accounts,
      access: { trust_lifecycle: ["EM_CERTIFICATE_MANAGER"] },
    });

    const auditReader = new ServiceUser(this, "audit-reader", {
      name: "audit reader",
      description: "Reads accounts, users and the audit log for quarterly access reviews",
      email: "security-audit@example.com",
      expiresOn: "2031-03-31",
      accounts,
      access: { account_manager: ["AM_VIEW_ONLY"] },
    });
    // A role binding manages this manager, the way another team's stack
    // grants its own manager's roles. The user's access leaves it alone.
    auditReader.grant("trust_lifecycle", ["EM_VIEW_ONLY"]);

    new TerraformOutput(this, "service_user_ids", {
      description: "DigiCert ONE ids of the service users, by name.",
      value: {
        "release-signing bot": releaseSigning.serviceUserId,
        "certificate-automation bot": certificateAutomation.serviceUserId,
        "audit reader": auditReader.serviceUserId,
      },
    });
  }
}
