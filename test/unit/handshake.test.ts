import { generateSelfSignedCertificate } from "../../provider/src/plugin/certificate";
import {
  formatHandshakeLine,
  HandshakeError,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  parseHandshakeLine,
  readHandshakeSettings,
} from "../../provider/src/plugin/handshake";

const terraformCertificate = generateSelfSignedCertificate();

const terraformEnvironment: NodeJS.ProcessEnv = {
  [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
  PLUGIN_PROTOCOL_VERSIONS: "5,6",
  PLUGIN_MIN_PORT: "0",
  PLUGIN_MAX_PORT: "0",
  PLUGIN_CLIENT_CERT: terraformCertificate.certificatePem,
};

function handshakeErrorOf(env: NodeJS.ProcessEnv): HandshakeError {
  try {
    readHandshakeSettings(env);
  } catch (error) {
    if (error instanceof HandshakeError) return error;
    throw error;
  }
  throw new Error("readHandshakeSettings did not throw");
}

describe("readHandshakeSettings", () => {
  test("accepts Terraform's environment", () => {
    const settings = readHandshakeSettings(terraformEnvironment);

    expect(settings.clientCertificatePem).toBe(terraformCertificate.certificatePem);
    expect(settings.clientCertificateDer).toEqual(terraformCertificate.certificateDer);
    expect(settings.unixSocketParent).toBeUndefined();
  });

  test("missing client certificate fails", () => {
    const env: NodeJS.ProcessEnv = { ...terraformEnvironment };
    delete env.PLUGIN_CLIENT_CERT;
    const error = handshakeErrorOf(env);

    expect(error.code).toBe("MISSING_CLIENT_CERTIFICATE");
    expect(error.message).toBe(
      "This provider requires AutoMTLS, but PLUGIN_CLIENT_CERT is missing or empty.\n" +
        "The provider must be started by Terraform, which passes a client certificate in PLUGIN_CLIENT_CERT. " +
        "If TF_DISABLE_PLUGIN_TLS is set, unset it.",
    );
  });

  test("empty client certificate fails", () => {
    const error = handshakeErrorOf({ ...terraformEnvironment, PLUGIN_CLIENT_CERT: " \n" });

    expect(error.code).toBe("MISSING_CLIENT_CERTIFICATE");
  });

  test("malformed client certificate fails", () => {
    const error = handshakeErrorOf({ ...terraformEnvironment, PLUGIN_CLIENT_CERT: "not a certificate" });

    expect(error.code).toBe("INVALID_CLIENT_CERTIFICATE");
    expect(error.message).toMatch(/^PLUGIN_CLIENT_CERT is not a valid PEM certificate \(.+\)\.\n/);
  });

  test("reads the socket parent directory", () => {
    const settings = readHandshakeSettings({ ...terraformEnvironment, PLUGIN_UNIX_SOCKET_DIR: "/run/plugins" });

    expect(settings.unixSocketParent).toBe("/run/plugins");
  });

  test("accepts versions in any order", () => {
    expect(() => readHandshakeSettings({ ...terraformEnvironment, PLUGIN_PROTOCOL_VERSIONS: "6, 5" })).not.toThrow();
  });

  test("missing cookie fails with help", () => {
    const error = handshakeErrorOf({ PLUGIN_PROTOCOL_VERSIONS: "6" });

    expect(error.code).toBe("MISSING_MAGIC_COOKIE");
    expect(error.message).toBe(
      "This program is a Terraform provider plugin. It is meant to be started by Terraform, not run directly.\n" +
        "To use it, declare the provider in a Terraform configuration and run `terraform init` and `terraform plan`.",
    );
  });

  test("wrong cookie fails", () => {
    const error = handshakeErrorOf({ ...terraformEnvironment, [MAGIC_COOKIE_KEY]: "wrong" });

    expect(error.code).toBe("MISSING_MAGIC_COOKIE");
  });

  test("protocol 5 only fails", () => {
    const error = handshakeErrorOf({ ...terraformEnvironment, PLUGIN_PROTOCOL_VERSIONS: "5" });

    expect(error.code).toBe("UNSUPPORTED_PROTOCOL_VERSION");
    expect(error.message).toBe(
      "This provider speaks Terraform plugin protocol 6, but Terraform offered: 5.\nUse Terraform v1.0 or later.",
    );
  });

  test("missing protocol versions fail", () => {
    const env: NodeJS.ProcessEnv = { ...terraformEnvironment };
    delete env.PLUGIN_PROTOCOL_VERSIONS;
    const error = handshakeErrorOf(env);

    expect(error.code).toBe("UNSUPPORTED_PROTOCOL_VERSION");
    expect(error.message).toContain("Terraform offered: none.");
  });
});

describe("handshake line", () => {
  test("strips base64 padding", () => {
    // 4 bytes encode to "AQIDBA==" in padded base64.
    const line = formatHandshakeLine("/tmp/x/plugin.sock", Buffer.from([1, 2, 3, 4]));

    expect(line).toBe("1|6|unix|/tmp/x/plugin.sock|grpc|AQIDBA");
  });

  test("leaves certificate empty without TLS", () => {
    expect(formatHandshakeLine("/tmp/x/plugin.sock")).toBe("1|6|unix|/tmp/x/plugin.sock|grpc|");
  });

  test("round-trips through the parser", () => {
    const certificate = Buffer.from("a certificate of 25 bytes");
    const parsed = parseHandshakeLine(formatHandshakeLine("/s.sock", certificate) + "\n");

    expect(parsed.coreProtocolVersion).toBe(1);
    expect(parsed.protocolVersion).toBe(6);
    expect(parsed.network).toBe("unix");
    expect(parsed.address).toBe("/s.sock");
    expect(parsed.protocol).toBe("grpc");
    expect(parsed.certificateDer).toEqual(certificate);
  });

  test("parser rejects other output", () => {
    expect(() => parseHandshakeLine("hello")).toThrow('invalid handshake line "hello"');
  });
});
