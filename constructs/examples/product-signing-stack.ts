// The cross-stack example from constructs/README.md: a product team's stack
// that grants its own manager's roles on the platform team's service user,
// which it references by name. A unit test synthesizes it.

import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DigicertOneProvider, ManagerRoles, ServiceUser } from "../src";

export class ProductSigningStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new DigicertOneProvider(this, "digicert-one", { region: "us" });

    // The platform team's stack creates and owns this service user, with
    // software_trust in its access. This stack manages trust_lifecycle only.
    const releaseSigning = ServiceUser.fromName(this, "release-signing", "release-signing bot");
    releaseSigning.grant("trust_lifecycle", ["EM_CERTIFICATE_MANAGER"]);

    // The role codes that trust_lifecycle offers, read at plan.
    new TerraformOutput(this, "trust_lifecycle_roles", {
      value: ManagerRoles.of(this, "trust-lifecycle-roles", "trust_lifecycle").roleCodes,
    });
  }
}
