// The token rotation example from constructs/README.md: a service user whose
// API token is rotated by hand and by age, and one that is disabled. A unit
// test synthesizes it, so the README shows code that compiles and runs.

import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DigicertOneProvider, ServiceUser } from "../src";

export class TokenRotationStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new DigicertOneProvider(this, "digicert-one", { region: "us", expiryWarningDays: 60 });

    const deploy = new ServiceUser(this, "deploy", {
      name: "deploy bot",
      email: "platform-team@example.com",
      accounts: ["510f00f0-90ee-4ee2-b52f-0152c01d18eb"],
      access: { software_trust: ["SM_SIGNER"] },
      // Change the value to issue a new token at the next apply.
      rotationTriggers: { rotated: "2027-01" },
      // Issue a new token once the current one is 90 days old.
      rotationDays: 90,
      // Keep the previous token working for a week after each rotation.
      tokenOverlapDays: 7,
    });
    new TerraformOutput(this, "deploy_bot_token_created_at", {
      value: deploy.tokenCreatedAt,
    });

    // Disabled: DigiCert ONE rejects its token, and the service user keeps
    // its id, token and access for when it is enabled again.
    new ServiceUser(this, "legacy-deploy", {
      name: "legacy deploy bot",
      email: "platform-team@example.com",
      accounts: ["510f00f0-90ee-4ee2-b52f-0152c01d18eb"],
      access: { software_trust: ["SM_SIGNER"] },
      enabled: false,
    });
  }
}
