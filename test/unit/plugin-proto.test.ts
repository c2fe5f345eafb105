import { readFileSync } from "node:fs";
import { generatedModulePath, renderDescriptorModule } from "../../scripts/gen-proto";
import { loadServiceDefinitions } from "../../provider/src/plugin/grpc-definitions";

describe("generated protocol descriptor", () => {
  test("matches the .proto files", () => {
    const committed = readFileSync(generatedModulePath, "utf8");

    // On failure, run `npm run gen:proto` and commit the result.
    expect(committed).toBe(renderDescriptorModule());
  });

  test("defines every service method", () => {
    const { provider, controller, health } = loadServiceDefinitions();

    expect(Object.keys(provider).sort()).toEqual(
      [
        "ApplyResourceChange",
        "CallFunction",
        "CloseEphemeralResource",
        "ConfigureProvider",
        "GetFunctions",
        "GetMetadata",
        "GetProviderSchema",
        "ImportResourceState",
        "MoveResourceState",
        "OpenEphemeralResource",
        "PlanResourceChange",
        "ReadDataSource",
        "ReadResource",
        "RenewEphemeralResource",
        "StopProvider",
        "UpgradeResourceState",
        "ValidateDataResourceConfig",
        "ValidateEphemeralResourceConfig",
        "ValidateProviderConfig",
        "ValidateResourceConfig",
      ].sort(),
    );
    expect(provider.PlanResourceChange.path).toBe("/tfplugin6.Provider/PlanResourceChange");
    expect(controller.Shutdown.path).toBe("/plugin.GRPCController/Shutdown");
    expect(health.Check.path).toBe("/grpc.health.v1.Health/Check");
  });

  test("encodes wire field numbers of the protocol", () => {
    const { provider } = loadServiceDefinitions();

    // Field numbers from tfplugin6.8: StopProvider.Response.Error is 1,
    // ValidateProviderConfig.Response.diagnostics is 2 and
    // Schema.Attribute.nested_type is 10.
    const stop = provider.StopProvider.responseSerialize({ Error: "x" });
    expect(Buffer.from(stop).toString("hex")).toBe("0a0178");

    const validate = provider.ValidateProviderConfig.responseSerialize({
      diagnostics: [{ severity: 1 }],
    });
    expect(Buffer.from(validate).toString("hex")).toBe("12020801");

    const schema = provider.GetProviderSchema.responseSerialize({
      provider: { block: { attributes: [{ name: "a", nested_type: { nesting: 1 } }] } },
    });
    // provider(1) > block(2) > attributes(2) > name(1) = "a", nested_type(10) > nesting(3) = 1
    expect(Buffer.from(schema).toString("hex")).toBe("0a0b12091207" + "0a0161" + "52021801");
  });
});
