// The construct library's README example synthesizes to the documented
// Terraform addresses.

import { Testing } from "cdktf";
import { ReleaseSigningStack } from "../../constructs/examples/release-signing-stack";

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
