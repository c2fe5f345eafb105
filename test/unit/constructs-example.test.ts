// The construct library's README examples synthesize to the documented
// Terraform addresses.

import { Testing } from "cdktf";
import { ProductSigningStack } from "../../constructs/examples/product-signing-stack";
import { ReleaseSigningStack } from "../../constructs/examples/release-signing-stack";
import { TokenRotationStack } from "../../constructs/examples/token-rotation-stack";

describe("construct library example", () => {
  test("synthesizes the documented addresses", () => {
    const stack = new ReleaseSigningStack(Testing.app(), "release");

    const json = JSON.parse(Testing.synth(stack, true));

    expect(Object.keys(json.resource.digicertone_service_user)).toEqual([
      "service_user_release_signing_bot",
    ]);
    expect(json.output.release_signing_bot_token.sensitive).toBe(true);
    expect(json.variable.digicert_one_api_key.sensitive).toBe(true);
    expect(json.provider.digicertone).toEqual([
      { api_key: "${var.digicert_one_api_key}", region: "us" },
    ]);
  });
});

describe("construct library cross-stack example", () => {
  test("synthesizes the documented addresses", () => {
    const stack = new ProductSigningStack(Testing.app(), "product");

    const json = JSON.parse(Testing.synth(stack, true));

    expect(Object.keys(json.data.digicertone_service_user)).toEqual(["release-signing"]);
    expect(json.data.digicertone_service_user["release-signing"].name).toBe("release-signing bot");
    expect(json.resource.digicertone_service_user_role_binding).toEqual({
      role_binding_release_signing_bot_trust_lifecycle: expect.objectContaining({
        service_user_id: "${data.digicertone_service_user.release-signing.id}",
        manager: "trust_lifecycle",
        roles: ["EM_CERTIFICATE_MANAGER"],
      }),
    });
    expect(json.resource.digicertone_service_user).toBeUndefined();
    expect(Object.keys(json.data.digicertone_roles)).toEqual(["trust-lifecycle-roles"]);
  });
});

describe("construct library token rotation example", () => {
  test("synthesizes the documented attributes", () => {
    const stack = new TokenRotationStack(Testing.app(), "rotation");

    const json = JSON.parse(Testing.synth(stack, true));

    const users = json.resource.digicertone_service_user;
    expect(Object.keys(users)).toEqual([
      "service_user_deploy_bot",
      "service_user_legacy_deploy_bot",
    ]);
    expect(users.service_user_deploy_bot).toEqual(
      expect.objectContaining({
        rotation_triggers: { rotated: "2027-01" },
        rotation_days: 90,
        token_overlap_days: 7,
      }),
    );
    expect(users.service_user_deploy_bot).not.toHaveProperty("enabled");
    expect(users.service_user_legacy_deploy_bot.enabled).toBe(false);
    expect(json.output.deploy_bot_token_created_at.value).toBe(
      "${digicertone_service_user.service_user_deploy_bot.token_created_at}",
    );
    expect(json.provider.digicertone).toEqual([
      { api_key: "${var.digicert_one_api_key}", expiry_warning_days: 60, region: "us" },
    ]);
  });
});
