// The example from constructs/README.md: one stack with the DigiCert ONE
// provider and a service user that signs releases. A unit test synthesizes
// it, so the README shows code that compiles and runs.

import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DigicertOneProvider, ServiceUser } from "../src";

export class ReleaseSigningStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    // No apiKey: the key comes from TF_VAR_digicert_one_api_key or
    // DIGICERT_ONE_API_KEY at plan time, never from cdk.tf.json.
    new DigicertOneProvider(this, "digicert-one", { region: "us" });

    new ServiceUser(this, "release-signing", {
      name: "release-signing bot",
      description: "Signs release builds in CI",
      email: "release-engineering@example.com",
      expiresOn: "2030-06-30",
      accounts: ["510f00f0-90ee-4ee2-b52f-0152c01d18eb"],
      access: { software_trust: ["SM_SIGNER"] },
    });
  }
}
