// Client certificates against the emulator's mutual-TLS listener, with the
// real Terraform CLI: PEM files in the provider block and PKCS#12 through
// the environment both apply and plan cleanly, with ca_bundle trusting the
// emulator's server certificate. A certificate from another CA, an expired
// certificate, a key that does not match and a wrong PKCS#12 password fail
// with a clear error, the last three before any request. No output contains
// a key or a password, even a key written into the provider block.

import { ACCOUNT_IDS } from "../../emulator/src/catalogue";
import { startEmulator } from "../../emulator/src/server";
import {
  CertificateWorkspace,
  type IssuedCertificate,
  type TestCertificateAuthority,
} from "../support/certificates";
import { hcl, requireBuiltProvider, requireTerraform, RunResult, Workspace } from "./harness";
import type { RunningEmulator } from "./emulator-fixture";

const PKCS12_PASSWORD = "pkcs12 acceptance password";
const WRONG_PASSWORD = "not the pkcs12 password";

/**
 * Joins Terraform's wrapped diagnostic lines, dropping the box-drawing
 * border, so that a phrase can be found whatever the terminal width.
 */
function flatten(output: string): string {
  return output.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");
}

function serviceUserConfig(name: string): string {
  return `
resource "digicertone_service_user" "bot" {
  name        = ${hcl(name)}
  email       = "platform-team@example.com"
  account_ids = [${hcl(ACCOUNT_IDS.platformEngineering)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

describe("mutual TLS against the emulator", () => {
  let certificates: CertificateWorkspace;
  let serverCa: TestCertificateAuthority;
  let clientCa: TestCertificateAuthority;
  let client: IssuedCertificate;
  let stranger: IssuedCertificate;
  let expired: IssuedCertificate;
  let pfxPath: string;
  let emulator: RunningEmulator;
  let requestLines: string[];
  const workspaces: Workspace[] = [];

  /** Every secret of this test, none of which may appear in any output. */
  let secrets: string[];

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();

    certificates = new CertificateWorkspace();
    serverCa = certificates.createAuthority("Emulator Server CA");
    clientCa = certificates.createAuthority("Emulator Client CA");
    const otherCa = certificates.createAuthority("Other Client CA");
    const serverCertificate = serverCa.issue({ name: "emulator", usage: "server" });
    client = clientCa.issue({ name: "release-pipeline", usage: "client" });
    stranger = otherCa.issue({ name: "stranger-pipeline", usage: "client" });
    expired = clientCa.issue({
      name: "expired-pipeline",
      usage: "client",
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2020-02-01T00:00:00Z"),
    });
    pfxPath = clientCa.exportPkcs12(client, PKCS12_PASSWORD);

    requestLines = [];
    emulator = await startEmulator({
      host: "127.0.0.1",
      port: 0,
      log: (line) => {
        if (line.includes("msg=request")) requestLines.push(line);
      },
      tls: {
        cert: serverCertificate.certPem,
        key: serverCertificate.keyPem,
        clientCa: clientCa.certPem,
      },
    });

    // A line of each key's base64 body is enough to find a quoted key.
    secrets = [client, stranger, expired, serverCertificate].map(
      (issued) => issued.keyPem.split("\n")[1],
    );
    secrets.push(PKCS12_PASSWORD, WRONG_PASSWORD, emulator.adminApiKey);
  });

  afterAll(async () => {
    for (const workspace of workspaces) workspace.remove();
    await emulator?.close();
    certificates?.remove();
  });

  /** A workspace whose provider reaches the emulator's https URL with the API key from the environment. */
  function workspace(env: Record<string, string> = {}): Workspace {
    const created = new Workspace({ DIGICERT_ONE_API_KEY: emulator.adminApiKey, ...env });
    workspaces.push(created);
    return created;
  }

  function pemProvider(certificate: IssuedCertificate): string {
    return `
provider "digicertone" {
  url                = ${hcl(emulator.url)}
  ca_bundle          = ${hcl(serverCa.certPath)}
  client_certificate = ${hcl(certificate.certPath)}
  client_key         = ${hcl(certificate.keyPath)}
}
`;
  }

  /** Fails unless no output of the run contains a key or a password; prints neither. */
  function expectNoSecrets(result: RunResult): void {
    const leaked = secrets.filter((secret) => result.output.includes(secret)).length;
    expect({ leakedSecrets: leaked }).toEqual({ leakedSecrets: 0 });
  }

  test("applies and plans with PEM files", async () => {
    const ws = workspace();
    ws.writeConfig(pemProvider(client) + serviceUserConfig("mtls pem bot"));
    await ws.init();

    const apply = await ws.apply();
    expectNoSecrets(apply);
    expect(apply.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    const names = emulator.serviceUsers().map((user) => user.friendlyName);
    expect(names).toContain("mtls pem bot");

    const plan = await ws.plan();
    expectNoSecrets(plan);
    expect(plan.stdout).toContain("No changes.");
  });

  test("applies and plans with PKCS#12 from the environment", async () => {
    const ws = workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_CA_BUNDLE: serverCa.certPath,
      DIGICERT_ONE_CLIENT_PKCS12_FILE: pfxPath,
      DIGICERT_ONE_CLIENT_PKCS12_PASSWORD: PKCS12_PASSWORD,
    });
    ws.writeConfig(serviceUserConfig("mtls pkcs12 bot"));
    await ws.init();

    const apply = await ws.apply();
    expectNoSecrets(apply);
    expect(apply.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");

    const plan = await ws.plan();
    expectNoSecrets(plan);
    expect(plan.stdout).toContain("No changes.");
  });

  test("fails clearly with a certificate from another CA", async () => {
    const ws = workspace();
    ws.writeConfig(pemProvider(stranger) + serviceUserConfig("mtls stranger bot"));
    await ws.init();

    const plan = await ws.run(["plan", "-no-color", "-input=false"]);
    expectNoSecrets(plan);
    expect(plan.code).toBe(1);
    const output = flatten(plan.output);
    expect(output).toContain("failed with HTTP 401 (invalid_client_certificate)");
    expect(output).toContain(
      'The client certificate for "stranger-pipeline" is not accepted: UNABLE_TO_VERIFY_LEAF_SIGNATURE.',
    );
  });

  test("rejects an expired certificate before any request", async () => {
    const ws = workspace();
    ws.writeConfig(pemProvider(expired) + serviceUserConfig("mtls expired bot"));
    await ws.init();
    const requestsBefore = requestLines.length;

    const plan = await ws.run(["plan", "-no-color", "-input=false"]);
    expectNoSecrets(plan);
    expect(plan.code).toBe(1);
    const output = flatten(plan.output);
    expect(output).toContain("Error: Client certificate expired");
    expect(output).toContain(
      'The client certificate "CN=expired-pipeline" from client_certificate expired on 2020-02-01T00:00:00Z',
    );
    expect(output).toContain("with provider[\"registry.terraform.io/digicert/digicertone\"]");
    expect(requestLines.length).toBe(requestsBefore);
  });

  test("keeps inline key PEM out of errors", async () => {
    const ws = workspace();
    ws.writeConfig(`
provider "digicertone" {
  url                = ${hcl(emulator.url)}
  ca_bundle          = ${hcl(serverCa.certPath)}
  client_certificate = file(${hcl(client.certPath)})
  client_key         = <<-EOT
${stranger.keyPem}  EOT
}
${serviceUserConfig("mtls inline key bot")}`);
    await ws.init();
    const requestsBefore = requestLines.length;

    const plan = await ws.run(["plan", "-no-color", "-input=false"]);
    expectNoSecrets(plan);
    expect(plan.code).toBe(1);
    expect(flatten(plan.output)).toContain("Error: Client key does not match the certificate");
    expect(requestLines.length).toBe(requestsBefore);
  });

  test("rejects a wrong PKCS#12 password before any request", async () => {
    const ws = workspace();
    ws.writeConfig(`
provider "digicertone" {
  url                    = ${hcl(emulator.url)}
  ca_bundle              = ${hcl(serverCa.certPath)}
  client_pkcs12_file     = ${hcl(pfxPath)}
  client_pkcs12_password = ${hcl(WRONG_PASSWORD)}
}
${serviceUserConfig("mtls wrong password bot")}`);
    await ws.init();
    const requestsBefore = requestLines.length;

    const plan = await ws.run(["plan", "-no-color", "-input=false"]);
    expectNoSecrets(plan);
    expect(plan.code).toBe(1);
    const output = flatten(plan.output);
    expect(output).toContain("Error: Invalid client_pkcs12_file");
    expect(output).toContain("cannot be opened: wrong password or damaged file.");
    expect(requestLines.length).toBe(requestsBefore);
  });
});
