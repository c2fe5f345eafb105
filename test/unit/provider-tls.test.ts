// Provider TLS settings: client certificates as PEM or PKCS#12, the CA
// bundle, their environment variables, the checks at validate and configure
// time, and the clientauth. host that a client certificate selects.

import { readFileSync } from "node:fs";

import type { DigicertClientOptions } from "../../provider/src/digicert/client";
import type { DigicertClient } from "../../provider/src/digicert/types";
import {
  path,
  unknown,
  type Diagnostic,
  type ObjectValue,
} from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import {
  createProvider,
  provider,
  validateProviderConfig,
  type Environment,
} from "../../provider/src/provider";
import {
  CertificateWorkspace,
  type IssuedCertificate,
  type TestCertificateAuthority,
} from "../support/certificates";

const API_KEY = "admin-key_0123456789abcdef";
const PKCS12_PASSWORD = "correct horse battery staple";
const DAY = 86_400_000;

let logLines: string[] = [];
const logger = createLogger("test", {}, (line) => logLines.push(line));

let certificates: CertificateWorkspace;
let ca: TestCertificateAuthority;
let client: IssuedCertificate;
let otherClient: IssuedCertificate;
let expired: IssuedCertificate;
let future: IssuedCertificate;
let codeSigning: IssuedCertificate;
let pfxPath: string;
let legacyPfxPath: string;
let expiredPfxPath: string;

/** Every secret the tests use, none of which may appear in a diagnostic or log line. */
let secrets: string[];

beforeAll(() => {
  certificates = new CertificateWorkspace();
  ca = certificates.createAuthority("Test Client CA");
  client = ca.issue({ name: "release-bot", usage: "client" });
  otherClient = ca.issue({ name: "other-bot", usage: "client" });
  expired = ca.issue({
    name: "expired-bot",
    usage: "client",
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2020-02-01T00:00:00Z"),
  });
  future = ca.issue({
    name: "future-bot",
    usage: "client",
    notBefore: new Date(Date.now() + 10 * DAY),
    notAfter: new Date(Date.now() + 20 * DAY),
  });
  codeSigning = ca.issue({ name: "signing-bot", usage: "code-signing" });
  pfxPath = ca.exportPkcs12(client, PKCS12_PASSWORD);
  legacyPfxPath = ca.exportPkcs12(client, PKCS12_PASSWORD, true);
  expiredPfxPath = ca.exportPkcs12(expired, PKCS12_PASSWORD);
  secrets = [client, otherClient, expired, future, codeSigning].map(keyBody);
  secrets.push(PKCS12_PASSWORD);
});

afterAll(() => {
  certificates.remove();
});

beforeEach(() => {
  logLines = [];
});

afterEach(() => {
  // Leaks are checked after every test, so each case that produces
  // diagnostics is also a leak check.
  const text = logLines.join("\n");
  for (const secret of secrets) {
    expect(text.includes(secret)).toBe(false);
  }
});

/** The base64 body of a PEM key, which a message quoting the key would contain. */
function keyBody(issued: IssuedCertificate): string {
  return issued.keyPem.split("\n").slice(1, 3).join("\n");
}

function config(overrides: ObjectValue = {}): ObjectValue {
  return {
    url: null,
    region: null,
    demo: null,
    api_key: API_KEY,
    expiry_warning_days: null,
    client_certificate: null,
    client_key: null,
    client_pkcs12_file: null,
    client_pkcs12_password: null,
    ca_bundle: null,
    ...overrides,
  };
}

async function configure(cfg: ObjectValue, env: Environment = {}, now?: Date) {
  const created: DigicertClientOptions[] = [];
  const testProvider = createProvider({
    env,
    logger,
    now: now === undefined ? undefined : () => now,
    createClient: (options) => {
      created.push(options);
      return {} as DigicertClient;
    },
  });
  const response = await testProvider.configure(cfg, {
    signal: new AbortController().signal,
  });
  const diagnostics = response.diagnostics ?? [];
  expectNoSecrets(diagnostics);
  return { diagnostics, options: created[0] as DigicertClientOptions | undefined };
}

function expectNoSecrets(diagnostics: Diagnostic[]): void {
  const text = JSON.stringify(diagnostics);
  for (const secret of secrets) {
    expect(text.includes(secret)).toBe(false);
  }
}

function errors(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

function warnings(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "warning");
}

/** Configures and returns the only error, failing when there is not exactly one. */
async function onlyError(cfg: ObjectValue, env: Environment = {}, now?: Date): Promise<Diagnostic> {
  const { diagnostics, options } = await configure(cfg, env, now);
  expect(options).toBeUndefined();
  const found = errors(diagnostics);
  expect(found.map((d) => d.summary)).toHaveLength(1);
  return found[0];
}

describe("TLS attributes in the schema", () => {
  const attributes = provider.schema.block.attributes;

  test.each(["client_key", "client_pkcs12_password"])("%s is sensitive", (name) => {
    expect(attributes[name].sensitive).toBe(true);
  });

  test.each(["client_certificate", "client_pkcs12_file", "ca_bundle"])(
    "%s is optional and not sensitive",
    (name) => {
      expect(attributes[name].optional).toBe(true);
      expect(attributes[name].sensitive).toBeFalsy();
    },
  );

  test.each([
    ["client_certificate", "DIGICERT_ONE_CLIENT_CERTIFICATE"],
    ["client_key", "DIGICERT_ONE_CLIENT_KEY"],
    ["client_pkcs12_file", "DIGICERT_ONE_CLIENT_PKCS12_FILE"],
    ["client_pkcs12_password", "DIGICERT_ONE_CLIENT_PKCS12_PASSWORD"],
    ["ca_bundle", "DIGICERT_ONE_CA_BUNDLE"],
  ])("%s names its environment variable", (name, variable) => {
    expect(attributes[name].description).toContain(`\`${variable}\``);
  });
});

describe("PEM client certificate", () => {
  test("reads certificate and key files", async () => {
    const { diagnostics, options } = await configure(
      config({ client_certificate: client.certPath, client_key: client.keyPath }),
    );
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.cert).toBe(client.certPem);
    expect(options?.tls?.key).toBe(client.keyPem);
    expect(options?.tls?.pfx).toBeUndefined();
  });

  test("takes PEM text as it is", async () => {
    const { diagnostics, options } = await configure(
      config({ client_certificate: client.certPem, client_key: client.keyPem }),
    );
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.cert).toBe(client.certPem);
    expect(options?.tls?.key).toBe(client.keyPem);
  });

  test("accepts the certificate followed by its CA", async () => {
    const chain = client.certPem + ca.certPem;
    const { diagnostics, options } = await configure(
      config({ client_certificate: chain, client_key: client.keyPem }),
    );
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.cert).toBe(chain);
  });

  test("falls back to the environment variables", async () => {
    const { diagnostics, options } = await configure(config(), {
      DIGICERT_ONE_CLIENT_CERTIFICATE: client.certPath,
      DIGICERT_ONE_CLIENT_KEY: client.keyPem,
    });
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.cert).toBe(client.certPem);
    expect(options?.tls?.key).toBe(client.keyPem);
  });

  test("takes the key from the environment and the certificate from the block", async () => {
    const { diagnostics, options } = await configure(
      config({ client_certificate: client.certPath }),
      { DIGICERT_ONE_CLIENT_KEY: client.keyPath },
    );
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.key).toBe(client.keyPem);
  });

  test("prefers the attribute to its environment variable", async () => {
    const { options } = await configure(
      config({ client_certificate: client.certPath, client_key: client.keyPath }),
      {
        DIGICERT_ONE_CLIENT_CERTIFICATE: otherClient.certPath,
        DIGICERT_ONE_CLIENT_KEY: otherClient.keyPath,
      },
    );
    expect(options?.tls?.cert).toBe(client.certPem);
  });

  test("logs the certificate subject at configure", async () => {
    await configure(config({ client_certificate: client.certPath, client_key: client.keyPath }));
    const configured = logLines.find((line) => line.includes("Configured DigiCert ONE provider"));
    expect(configured).toContain('"client_certificate_subject":"CN=release-bot"');
  });
});

describe("host selection with a client certificate", () => {
  const pem = () => ({ client_certificate: client.certPath, client_key: client.keyPath });

  test("uses the clientauth host of the default region", async () => {
    const { options } = await configure(config(pem()));
    expect(options?.baseUrl).toBe("https://clientauth.one.digicert.com");
  });

  test("uses the clientauth host of a region's demo host", async () => {
    const { options } = await configure(config({ ...pem(), region: "jp", demo: true }));
    expect(options?.baseUrl).toBe("https://clientauth.demo.one.digicert.co.jp");
  });

  test("uses the clientauth host with PKCS#12", async () => {
    const { options } = await configure(
      config({
        region: "nl",
        client_pkcs12_file: pfxPath,
        client_pkcs12_password: PKCS12_PASSWORD,
      }),
    );
    expect(options?.baseUrl).toBe("https://clientauth.one.nl.digicert.com");
  });

  test("keeps a url as given", async () => {
    const { options } = await configure(config({ ...pem(), url: "https://127.0.0.1:8443" }));
    expect(options?.baseUrl).toBe("https://127.0.0.1:8443");
  });

  test("keeps DIGICERT_ONE_URL as given", async () => {
    const { options } = await configure(config(pem()), {
      DIGICERT_ONE_URL: "https://digicert.example.internal",
    });
    expect(options?.baseUrl).toBe("https://digicert.example.internal");
  });

  test("keeps the plain host with only a CA bundle", async () => {
    const { options } = await configure(config({ ca_bundle: ca.certPath }));
    expect(options?.baseUrl).toBe("https://one.digicert.com");
    expect(options?.tls?.ca).toBe(ca.certPem);
  });

  test("passes no TLS options without TLS settings", async () => {
    const { options } = await configure(config());
    expect(options?.baseUrl).toBe("https://one.digicert.com");
    expect(options?.tls).toBeUndefined();
  });
});

describe("settings that must come together", () => {
  test("rejects a certificate without its key", async () => {
    const error = await onlyError(config({ client_certificate: client.certPath }));
    expect(error.summary).toBe("Missing client_key");
    expect(error.path).toEqual(path("client_key"));
    expect(error.detail).toBe(
      "The client certificate is set by client_certificate, but its private key is not. Set client_key or the DIGICERT_ONE_CLIENT_KEY environment variable, or remove the certificate.",
    );
  });

  test("rejects a key without its certificate", async () => {
    const error = await onlyError(config(), { DIGICERT_ONE_CLIENT_KEY: client.keyPath });
    expect(error.summary).toBe("Missing client_certificate");
    expect(error.path).toEqual(path("client_certificate"));
    expect(error.detail).toContain("set by the DIGICERT_ONE_CLIENT_KEY environment variable");
  });

  test("rejects PEM together with PKCS#12", async () => {
    const error = await onlyError(
      config({
        client_certificate: client.certPath,
        client_key: client.keyPath,
        client_pkcs12_file: pfxPath,
      }),
    );
    expect(error.summary).toBe("Conflicting client certificate settings");
    expect(error.path).toEqual(path("client_pkcs12_file"));
    expect(error.detail).toBe(
      "The client certificate is given both as PEM, by client_certificate, and as PKCS#12, by client_pkcs12_file. Give client_certificate and client_key, or client_pkcs12_file, but not both.",
    );
  });

  test("rejects PEM attributes together with a PKCS#12 variable", async () => {
    const error = await onlyError(
      config({ client_certificate: client.certPath, client_key: client.keyPath }),
      { DIGICERT_ONE_CLIENT_PKCS12_FILE: pfxPath },
    );
    expect(error.detail).toContain("as PKCS#12, by the DIGICERT_ONE_CLIENT_PKCS12_FILE environment variable");
  });

  test("rejects a PKCS#12 password without a file", async () => {
    const error = await onlyError(config({ client_pkcs12_password: PKCS12_PASSWORD }));
    expect(error.summary).toBe("Missing client_pkcs12_file");
    // Terraform prints the line an error points at, which would show the password.
    expect(error.path).toEqual(path("client_pkcs12_file"));
  });

  test("ignores a PKCS#12 password variable without a file", async () => {
    const { diagnostics, options } = await configure(config(), {
      DIGICERT_ONE_CLIENT_PKCS12_PASSWORD: PKCS12_PASSWORD,
    });
    expect(diagnostics).toEqual([]);
    expect(options?.tls).toBeUndefined();
  });

  test("treats empty variables as unset", async () => {
    const { diagnostics, options } = await configure(config(), {
      DIGICERT_ONE_CLIENT_CERTIFICATE: "",
      DIGICERT_ONE_CLIENT_KEY: "",
      DIGICERT_ONE_CA_BUNDLE: "",
    });
    expect(diagnostics).toEqual([]);
    expect(options?.tls).toBeUndefined();
  });
});

describe("unusable files and PEM", () => {
  test("rejects a certificate file that does not exist", async () => {
    const missing = `${certificates.dir}/missing.pem`;
    const error = await onlyError(
      config({ client_certificate: missing, client_key: client.keyPath }),
    );
    expect(error.summary).toBe("Invalid client_certificate");
    expect(error.path).toEqual(path("client_certificate"));
    expect(error.detail).toBe(`client_certificate names the file "${missing}", which does not exist.`);
  });

  test("names the variable for a key file that does not exist", async () => {
    const missing = `${certificates.dir}/missing.key`;
    const error = await onlyError(config({ client_certificate: client.certPath }), {
      DIGICERT_ONE_CLIENT_KEY: missing,
    });
    expect(error.summary).toBe("Invalid DIGICERT_ONE_CLIENT_KEY");
    expect(error.path).toEqual(path("client_key"));
    expect(error.detail).toBe(
      `The DIGICERT_ONE_CLIENT_KEY environment variable names the file "${missing}", which does not exist. Correct the variable, or unset it.`,
    );
  });

  test("rejects a directory", async () => {
    const error = await onlyError(
      config({ client_certificate: certificates.dir, client_key: client.keyPath }),
    );
    expect(error.detail).toContain("which is a directory");
  });

  test("rejects a certificate file without PEM", async () => {
    const der = certificates.write("client.der", Buffer.from([0x30, 0x82, 0x01, 0x00]));
    const error = await onlyError(config({ client_certificate: der, client_key: client.keyPath }));
    expect(error.summary).toBe("Invalid client_certificate");
    expect(error.detail).toBe(
      `The file "${der}" named by client_certificate contains no PEM certificate (a block that starts with "-----BEGIN CERTIFICATE-----"). Convert a DER certificate to PEM with: openssl x509 -inform der -in CERT.der -out CERT.pem`,
    );
  });

  test("rejects a damaged PEM certificate", async () => {
    const damaged = client.certPem.replace(/\n[A-Za-z0-9+/]{20}/, "\nAAAAAAAAAAAAAAAAAAAA");
    const error = await onlyError(config({ client_certificate: damaged, client_key: client.keyPem }));
    expect(error.detail).toBe(
      "client_certificate contains a PEM certificate (number 1) that is not a valid X.509 certificate.",
    );
  });

  test("notices a swapped certificate and key", async () => {
    const { diagnostics } = await configure(
      config({ client_certificate: client.keyPath, client_key: client.certPath }),
    );
    const details = errors(diagnostics).map((d) => d.detail);
    expect(details).toEqual([
      expect.stringContaining("contains a private key but no certificate. Check that the certificate and the key were not swapped."),
      expect.stringContaining("contains a certificate but no private key. Check that the certificate and the key were not swapped."),
    ]);
  });

  test("rejects a damaged PEM key without quoting it", async () => {
    const damaged = client.keyPem.replace(/\n[A-Za-z0-9+/]{20}/, "\nAAAAAAAAAAAAAAAAAAAA");
    const error = await onlyError(config({ client_certificate: client.certPem, client_key: damaged }));
    expect(error.summary).toBe("Invalid client_key");
    // Terraform prints the line an error points at, which would show the key.
    expect(error.path).toBeUndefined();
    expect(error.detail).toBe("client_key contains a PEM private key that cannot be parsed.");
  });

  test("rejects an encrypted key", async () => {
    const encrypted =
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAg=\n-----END ENCRYPTED PRIVATE KEY-----\n";
    const error = await onlyError(config({ client_certificate: client.certPem, client_key: encrypted }));
    expect(error.detail).toContain("contains an encrypted private key, which the provider cannot decrypt");
    expect(error.detail).toContain("client_pkcs12_file");
  });

  test("rejects an empty attribute", async () => {
    const error = await onlyError(config({ client_certificate: "", client_key: client.keyPath }));
    expect(error.detail).toBe("client_certificate is empty.");
  });
});

describe("certificate and key checks", () => {
  test("rejects a key that belongs to another certificate", async () => {
    const error = await onlyError(
      config({ client_certificate: client.certPath, client_key: otherClient.keyPath }),
    );
    expect(error.summary).toBe("Client key does not match the certificate");
    expect(error.path).toEqual(path("client_key"));
  });

  test("points no error at key PEM text", async () => {
    const error = await onlyError(
      config({ client_certificate: client.certPem, client_key: otherClient.keyPem }),
    );
    expect(error.summary).toBe("Client key does not match the certificate");
    expect(error.path).toBeUndefined();
    expect(error.detail).toBe(
      'The private key from client_key is not the key of the client certificate "CN=release-bot" from client_certificate. Give the key that was generated with this certificate.',
    );
  });

  test("rejects an expired certificate and says when it expired", async () => {
    const error = await onlyError(
      config({ client_certificate: expired.certPath, client_key: expired.keyPath }),
      {},
      new Date("2020-02-11T12:00:00Z"),
    );
    expect(error.summary).toBe("Client certificate expired");
    expect(error.path).toEqual(path("client_certificate"));
    expect(error.detail).toBe(
      'The client certificate "CN=expired-bot" from client_certificate expired on 2020-02-01T00:00:00Z (10 days ago), so DigiCert ONE would reject the TLS handshake. Renew it in DigiCert ONE and configure the new certificate.',
    );
  });

  test("says less than a day for a certificate that just expired", async () => {
    const error = await onlyError(
      config({ client_certificate: expired.certPath, client_key: expired.keyPath }),
      {},
      new Date("2020-02-01T05:00:00Z"),
    );
    expect(error.detail).toContain("expired on 2020-02-01T00:00:00Z (less than a day ago)");
  });

  test("rejects a certificate that is not valid yet", async () => {
    const error = await onlyError(
      config({ client_certificate: future.certPath, client_key: future.keyPath }),
    );
    expect(error.summary).toBe("Client certificate not yet valid");
    expect(error.detail).toMatch(
      /^The client certificate "CN=future-bot" from client_certificate is not valid until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, so DigiCert ONE would reject the TLS handshake\. Wait until then, or check this machine's clock\.$/,
    );
  });

  test("uses the provider's clock for validity", async () => {
    const { diagnostics } = await configure(
      config({ client_certificate: expired.certPath, client_key: expired.keyPath }),
      {},
      new Date("2020-01-15T00:00:00Z"),
    );
    expect(errors(diagnostics)).toEqual([]);
  });

  test("warns about a certificate without client authentication", async () => {
    const { diagnostics, options } = await configure(
      config({ client_certificate: codeSigning.certPath, client_key: codeSigning.keyPath }),
    );
    expect(options).toBeDefined();
    expect(warnings(diagnostics)).toEqual([
      {
        severity: "warning",
        summary: "Client certificate not made for client authentication",
        detail:
          'The client certificate "CN=signing-bot" from client_certificate has an extended key usage extension without TLS client authentication (1.3.6.1.5.5.7.3.2), so DigiCert ONE may reject it. Use a client authentication certificate issued by DigiCert ONE.',
        path: path("client_certificate"),
      },
    ]);
  });

  test("warns that plain http sends no client certificate", async () => {
    const { diagnostics, options } = await configure(
      config({
        url: "http://127.0.0.1:8080",
        client_certificate: client.certPath,
        client_key: client.keyPath,
      }),
    );
    expect(options?.baseUrl).toBe("http://127.0.0.1:8080");
    expect(warnings(diagnostics).map((d) => d.detail)).toEqual([
      'The provider connects to "http://127.0.0.1:8080" with plain http, so the client certificate is not used. Use an https URL to send a client certificate or to check the server certificate against ca_bundle.',
    ]);
  });
});

describe("PKCS#12 client certificate", () => {
  test("reads the file and keeps the password for the connection", async () => {
    const { diagnostics, options } = await configure(
      config({ client_pkcs12_file: pfxPath, client_pkcs12_password: PKCS12_PASSWORD }),
    );
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.pfx).toEqual(readFileSync(pfxPath));
    expect(options?.tls?.passphrase).toBe(PKCS12_PASSWORD);
    expect(options?.tls?.cert).toBeUndefined();
  });

  test("falls back to the environment variables", async () => {
    const { diagnostics, options } = await configure(config(), {
      DIGICERT_ONE_CLIENT_PKCS12_FILE: pfxPath,
      DIGICERT_ONE_CLIENT_PKCS12_PASSWORD: PKCS12_PASSWORD,
    });
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.passphrase).toBe(PKCS12_PASSWORD);
  });

  test("rejects a wrong password without quoting it", async () => {
    const error = await onlyError(
      config({ client_pkcs12_file: pfxPath, client_pkcs12_password: "wrong horse" }),
    );
    expect(error.summary).toBe("Invalid client_pkcs12_file");
    expect(error.path).toEqual(path("client_pkcs12_file"));
    expect(error.detail).toBe(
      `The PKCS#12 file "${pfxPath}" named by client_pkcs12_file cannot be opened: wrong password or damaged file. Check the password in client_pkcs12_password or DIGICERT_ONE_CLIENT_PKCS12_PASSWORD, and that the file is the one DigiCert ONE issued.`,
    );
    expect(error.detail.includes("wrong horse")).toBe(false);
  });

  test("reports a wrong password from the environment", async () => {
    const error = await onlyError(config({ client_pkcs12_file: pfxPath }), {
      DIGICERT_ONE_CLIENT_PKCS12_PASSWORD: "wrong horse",
    });
    expect(error.path).toEqual(path("client_pkcs12_file"));
    expect(error.detail).toContain("wrong password or damaged file");
  });

  test("rejects a missing password as a wrong one", async () => {
    const error = await onlyError(config({ client_pkcs12_file: pfxPath }));
    expect(error.detail).toContain("cannot be opened: wrong password or damaged file");
  });

  test("rejects a file that is not PKCS#12", async () => {
    const error = await onlyError(
      config({ client_pkcs12_file: client.certPath, client_pkcs12_password: PKCS12_PASSWORD }),
    );
    expect(error.detail).toBe(
      `The PKCS#12 file "${client.certPath}" named by client_pkcs12_file is not a PKCS#12 file, or is damaged. Give the .p12 or .pfx file that DigiCert ONE issued, or give PEM files with client_certificate and client_key.`,
    );
  });

  test("explains legacy encryption", async () => {
    const error = await onlyError(
      config({ client_pkcs12_file: legacyPfxPath, client_pkcs12_password: PKCS12_PASSWORD }),
    );
    expect(error.detail).toContain(
      "uses an encryption algorithm that OpenSSL 3 no longer loads by default, such as RC2-40 or 3DES from older exports",
    );
  });

  test("rejects PEM text in place of a path", async () => {
    const error = await onlyError(config({ client_pkcs12_file: client.certPem }));
    expect(error.detail).toBe(
      "client_pkcs12_file contains PEM text, but it takes the path of a PKCS#12 file. Give PEM text with client_certificate and client_key instead.",
    );
  });

  test("rejects an expired certificate inside the file", async () => {
    const error = await onlyError(
      config({ client_pkcs12_file: expiredPfxPath, client_pkcs12_password: PKCS12_PASSWORD }),
    );
    expect(error.summary).toBe("Client certificate expired");
    expect(error.path).toEqual(path("client_pkcs12_file"));
    expect(error.detail).toContain(
      'The client certificate "CN=expired-bot" from client_pkcs12_file expired on 2020-02-01T00:00:00Z (',
    );
  });
});

describe("CA bundle", () => {
  test("reads the file from the environment", async () => {
    const { diagnostics, options } = await configure(config(), {
      DIGICERT_ONE_CA_BUNDLE: ca.certPath,
    });
    expect(diagnostics).toEqual([]);
    expect(options?.tls?.ca).toBe(ca.certPem);
  });

  test("rejects PEM text in place of a path", async () => {
    const error = await onlyError(config({ ca_bundle: ca.certPem }));
    expect(error.summary).toBe("Invalid ca_bundle");
    expect(error.path).toEqual(path("ca_bundle"));
    expect(error.detail).toBe(
      "ca_bundle contains PEM text, but it takes the path of a PEM file. Save the CA certificates to a file and give its path.",
    );
  });

  test("rejects a file without certificates", async () => {
    const empty = certificates.write("empty-bundle.pem", "# no certificates\n");
    const error = await onlyError(config({ ca_bundle: empty }));
    expect(error.detail).toContain(`The file "${empty}" named by ca_bundle contains no PEM certificate`);
  });

  test("warns that plain http checks no server certificate", async () => {
    const { diagnostics } = await configure(
      config({ url: "http://localhost:8080", ca_bundle: ca.certPath }),
    );
    expect(warnings(diagnostics).map((d) => d.detail)).toEqual([
      expect.stringContaining("with plain http, so the ca_bundle is not used."),
    ]);
  });
});

describe("validate without the environment", () => {
  const now = new Date();

  test("accepts a certificate whose key may come from the environment", () => {
    expect(validateProviderConfig(config({ client_certificate: client.certPath }), now)).toEqual([]);
  });

  test("rejects an expired certificate", () => {
    const diagnostics = validateProviderConfig(
      config({ client_certificate: expired.certPath, client_key: expired.keyPath }),
      now,
    );
    expect(diagnostics.map((d) => d.summary)).toEqual(["Client certificate expired"]);
  });

  test("rejects a wrong PKCS#12 password", () => {
    const diagnostics = validateProviderConfig(
      config({ client_pkcs12_file: pfxPath, client_pkcs12_password: "wrong horse" }),
      now,
    );
    expectNoSecrets(diagnostics);
    expect(diagnostics.map((d) => d.detail)).toEqual([
      expect.stringContaining("wrong password or damaged file"),
    ]);
  });

  test("rejects PEM together with PKCS#12", () => {
    const diagnostics = validateProviderConfig(
      config({ client_certificate: client.certPath, client_pkcs12_file: pfxPath }),
      now,
    );
    expect(diagnostics.map((d) => d.summary)).toEqual(["Conflicting client certificate settings"]);
  });

  test("returns no warnings", () => {
    const diagnostics = validateProviderConfig(
      config({ client_certificate: codeSigning.certPath, client_key: codeSigning.keyPath }),
      now,
    );
    expect(diagnostics).toEqual([]);
  });

  test("skips unknown values", () => {
    const diagnostics = validateProviderConfig(
      config({ client_certificate: unknown, client_key: client.keyPath }),
      now,
    );
    expect(diagnostics).toEqual([]);
  });

  test("uses the clock the provider was created with", async () => {
    const testProvider = createProvider({ now: () => new Date("2020-01-15T00:00:00Z") });
    const response = await testProvider.validate!({
      config: config({ client_certificate: expired.certPath, client_key: expired.keyPath }),
    } as never);
    expect(response).toEqual([]);
  });
});
