import { exportCommand, reattachProvidersValue } from "../../provider/src/plugin/long-lived";

describe("reattachProvidersValue", () => {
  test("matches go-plugin's ReattachConfig", () => {
    const value = JSON.parse(reattachProvidersValue(4242, "/tmp/terraform-provider-x/plugin.sock"));

    expect(value).toEqual({
      "registry.terraform.io/digicert/digicertone": {
        Protocol: "grpc",
        ProtocolVersion: 6,
        Pid: 4242,
        Test: true,
        Addr: { Network: "unix", String: "/tmp/terraform-provider-x/plugin.sock" },
      },
    });
  });
});

describe("exportCommand", () => {
  test("quotes the value for a POSIX shell", () => {
    expect(exportCommand('{"a":"b"}')).toBe(`export TF_REATTACH_PROVIDERS='{"a":"b"}'`);
  });

  test("escapes single quotes", () => {
    expect(exportCommand("it's")).toBe(`export TF_REATTACH_PROVIDERS='it'\\''s'`);
  });
});
