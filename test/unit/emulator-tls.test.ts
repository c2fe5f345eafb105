// The emulator's mutual-TLS listener, and the DigiCert ONE client talking to
// it: client certificates that are accepted and rejected, the CLI flags, and
// TLS failures that the client reports.

import { readFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";

import { Agent, request } from "undici";

import { parseCommandLine, UsageError } from "../../emulator/src/cli-options";
import { startEmulator, type RunningEmulator } from "../../emulator/src/server";
import { readTlsFiles } from "../../emulator/src/tls";
import { createDigicertClient } from "../../provider/src/digicert/client";
import { DigicertApiError, DigicertError } from "../../provider/src/digicert/errors";
import { createLogger } from "../../provider/src/log";
import {
  CertificateWorkspace,
  type IssuedCertificate,
  type TestCertificateAuthority,
} from "../support/certificates";

const USER_AGENT = "digicertone-unit-tests";
const logger = createLogger("test", {}, () => undefined);

let certificates: CertificateWorkspace;
let serverCa: TestCertificateAuthority;
let clientCa: TestCertificateAuthority;
let otherCa: TestCertificateAuthority;
let serverCertificate: IssuedCertificate;
let client: IssuedCertificate;
let strangerClient: IssuedCertificate;
let expiredClient: IssuedCertificate;
let emulator: RunningEmulator;
let emulatorLog: string[];

beforeAll(async () => {
  certificates = new CertificateWorkspace();
  serverCa = certificates.createAuthority("Emulator Server CA");
  clientCa = certificates.createAuthority("Emulator Client CA");
  otherCa = certificates.createAuthority("Other Client CA");
  serverCertificate = serverCa.issue({ name: "emulator", usage: "server" });
  client = clientCa.issue({ name: "release-bot", usage: "client" });
  strangerClient = otherCa.issue({ name: "stranger-bot", usage: "client" });
  expiredClient = clientCa.issue({
    name: "expired-bot",
    usage: "client",
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2020-02-01T00:00:00Z"),
  });

  emulatorLog = [];
  emulator = await startEmulator({
    quiet: true,
    log: (line) => emulatorLog.push(line),
    tls: {
      cert: serverCertificate.certPem,
      key: serverCertificate.keyPem,
      clientCa: clientCa.certPem,
    },
  });
});

afterAll(async () => {
  await emulator.close();
  certificates.remove();
});

/** Sends GET /account through an Agent with the given client certificate. */
async function getAccounts(
  clientCertificate: IssuedCertificate | undefined,
  apiKey = emulator.adminApiKey,
): Promise<{ status: number; body: { errors?: Array<{ code: string; message: string }> } }> {
  const agent = new Agent({
    connect: {
      ca: serverCa.certPem,
      ...(clientCertificate === undefined
        ? {}
        : { cert: clientCertificate.certPem, key: clientCertificate.keyPem }),
    },
  });
  try {
    const response = await request(`${emulator.apiUrl}/account`, {
      dispatcher: agent,
      headers: { "x-api-key": apiKey, "user-agent": USER_AGENT },
    });
    return { status: response.statusCode, body: (await response.body.json()) as never };
  } finally {
    await agent.close();
  }
}

describe("emulator mutual-TLS listener", () => {
  test("serves https on loopback", () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.apiUrl).toBe(`${emulator.url}/account/api/v1`);
  });

  test("serves the API to a trusted client certificate", async () => {
    const { status, body } = await getAccounts(client);
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
  });

  test("still requires the API key", async () => {
    const { status, body } = await getAccounts(client, "not-a-key");
    expect(status).toBe(401);
    expect(body.errors?.[0].code).toBe("invalid_api_key");
  });

  test("rejects a request without a client certificate", async () => {
    const { status, body } = await getAccounts(undefined);
    expect(status).toBe(401);
    expect(body.errors).toEqual([
      {
        code: "invalid_client_certificate",
        message:
          "The request has no client certificate. This endpoint requires mutual TLS with a client certificate signed by the emulator's client CA.",
      },
    ]);
  });

  test("rejects a certificate signed by another CA", async () => {
    const { status, body } = await getAccounts(strangerClient);
    expect(status).toBe(401);
    expect(body.errors?.[0].message).toBe(
      'The client certificate for "stranger-bot" is not accepted: UNABLE_TO_VERIFY_LEAF_SIGNATURE. This endpoint requires a valid client certificate signed by the emulator\'s client CA.',
    );
  });

  test("rejects an expired client certificate", async () => {
    const { status, body } = await getAccounts(expiredClient);
    expect(status).toBe(401);
    expect(body.errors?.[0].message).toContain("is not accepted: CERT_HAS_EXPIRED.");
  });

  test("logs each rejected request", async () => {
    emulatorLog.length = 0;
    await getAccounts(strangerClient);
    expect(emulatorLog).toHaveLength(1);
    expect(emulatorLog[0]).toContain('msg="client certificate rejected"');
    expect(emulatorLog[0]).toContain("path=/account/api/v1/account");
    expect(emulatorLog[0]).toContain("status=401");
  });

  test("rejects a client CA without certificates", async () => {
    await expect(
      startEmulator({
        quiet: true,
        tls: { cert: serverCertificate.certPem, key: serverCertificate.keyPem, clientCa: "" },
      }),
    ).rejects.toThrow("tls: clientCa contains no PEM certificate.");
  });

  test("rejects a key that does not match the certificate", async () => {
    await expect(
      startEmulator({
        quiet: true,
        tls: { cert: serverCertificate.certPem, key: client.keyPem, clientCa: clientCa.certPem },
      }),
    ).rejects.toThrow(/^tls: the server certificate or key cannot be loaded: .*key values mismatch/);
  });
});

describe("emulator TLS flags", () => {
  test("reads all three flags as absolute paths", () => {
    const options = parseCommandLine([
      "--tls-cert", "server.pem", "--tls-key", "server.key", "--tls-client-ca", "/etc/ca.pem",
    ]);
    expect(options).not.toBe("help");
    if (options === "help") return;
    expect(options.tls).toEqual({
      cert: `${process.cwd()}/server.pem`,
      key: `${process.cwd()}/server.key`,
      clientCa: "/etc/ca.pem",
    });
  });

  test("leaves TLS off without flags", () => {
    const options = parseCommandLine([]);
    expect(options).not.toBe("help");
    if (options === "help") return;
    expect(options.tls).toBeUndefined();
  });

  test("rejects an incomplete set of flags", () => {
    expect(() => parseCommandLine(["--tls-cert", "server.pem"])).toThrow(
      new UsageError(
        "--tls-cert needs --tls-key and --tls-client-ca. Give --tls-cert, --tls-key and --tls-client-ca together.",
      ),
    );
  });

  test("rejects an empty flag", () => {
    expect(() =>
      parseCommandLine(["--tls-cert", "", "--tls-key", "k", "--tls-client-ca", "c"]),
    ).toThrow("--tls-cert is empty. Pass a file path.");
  });

  test("names a file that cannot be read", () => {
    const missing = `${certificates.dir}/missing.pem`;
    expect(() =>
      readTlsFiles({ cert: serverCertificate.certPath, key: missing, clientCa: clientCa.certPath }),
    ).toThrow(`--tls-key "${missing}" cannot be read (ENOENT).`);
  });

  test("lists the flags in the usage", async () => {
    const { USAGE } = await import("../../emulator/src/cli-options");
    expect(USAGE).toContain("--tls-client-ca <path>");
  });
});

describe("client over mutual TLS", () => {
  function mtlsClient(clientCertificate: IssuedCertificate) {
    return createDigicertClient({
      baseUrl: emulator.url,
      apiKey: emulator.adminApiKey,
      userAgent: USER_AGENT,
      logger,
      tls: {
        cert: clientCertificate.certPem,
        key: clientCertificate.keyPem,
        ca: serverCa.certPem,
      },
    });
  }

  test("lists accounts with a trusted certificate", async () => {
    const digicert = mtlsClient(client);
    try {
      await expect(digicert.listAccounts()).resolves.not.toHaveLength(0);
    } finally {
      await digicert.close();
    }
  });

  test("uses a PKCS#12 file", async () => {
    const pfx = readFileSync(clientCa.exportPkcs12(client, "pkcs12 password"));
    const digicert = createDigicertClient({
      baseUrl: emulator.url,
      apiKey: emulator.adminApiKey,
      userAgent: USER_AGENT,
      logger,
      tls: { pfx, passphrase: "pkcs12 password", ca: serverCa.certPem },
    });
    try {
      await expect(digicert.listAccounts()).resolves.not.toHaveLength(0);
    } finally {
      await digicert.close();
    }
  });

  test("reports the emulator's rejection of a stranger", async () => {
    const digicert = mtlsClient(strangerClient);
    try {
      const error = await digicert.listAccounts().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DigicertApiError);
      expect((error as DigicertApiError).status).toBe(401);
      expect((error as DigicertApiError).code).toBe("invalid_client_certificate");
      expect((error as Error).message).toContain("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    } finally {
      await digicert.close();
    }
  });

  test("rejects tls together with a dispatcher", () => {
    const dispatcher = new Agent();
    expect(() =>
      createDigicertClient({
        baseUrl: emulator.url,
        apiKey: emulator.adminApiKey,
        userAgent: USER_AGENT,
        dispatcher,
        tls: { ca: serverCa.certPem },
      }),
    ).toThrow(DigicertError);
    void dispatcher.close();
  });

  test("rejects a certificate without its key", () => {
    expect(() =>
      createDigicertClient({
        baseUrl: emulator.url,
        apiKey: emulator.adminApiKey,
        userAgent: USER_AGENT,
        tls: { cert: client.certPem },
      }),
    ).toThrow("A PEM client certificate needs both the certificate and its private key.");
  });
});

describe("client against a server that rejects in the handshake", () => {
  // DigiCert ONE's clientauth. hosts may end the handshake instead of
  // responding with 401, as this server does.
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createHttpsServer(
      {
        cert: serverCertificate.certPem,
        key: serverCertificate.keyPem,
        ca: clientCa.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (_request, response) => response.end("[]"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test("reports a TLS failure for a stranger", async () => {
    const digicert = createDigicertClient({
      baseUrl: origin,
      apiKey: "admin-key_0123456789abcdef",
      userAgent: USER_AGENT,
      logger,
      retry: { maxRetries: 0 },
      tls: { cert: strangerClient.certPem, key: strangerClient.keyPem, ca: serverCa.certPem },
    });
    try {
      const error = (await digicert.listAccounts().catch((caught: unknown) => caught)) as DigicertError;
      // NOTE: With TLS 1.3 the client finishes its side of the handshake
      // before the server checks the certificate, so the rejection arrives
      // as a closed connection rather than as a TLS alert.
      expect(error.code).toBe("connection_reset");
    } finally {
      await digicert.close();
    }
  });

  test("reports an untrusted server certificate", async () => {
    const digicert = createDigicertClient({
      baseUrl: origin,
      apiKey: "admin-key_0123456789abcdef",
      userAgent: USER_AGENT,
      logger,
      retry: { maxRetries: 0 },
      tls: { cert: client.certPem, key: client.keyPem, ca: otherCa.certPem },
    });
    try {
      const error = (await digicert.listAccounts().catch((caught: unknown) => caught)) as DigicertError;
      expect(error.code).toBe("tls_error");
      expect(error.message).toMatch(
        /^DigiCert ONE API request GET \/account\/api\/v1\/account\?offset=0&limit=100 to 127\.0\.0\.1:\d+ failed during the TLS handshake\. Cause: UNABLE_TO_VERIFY_LEAF_SIGNATURE\. Check that the server certificate chains to a trusted CA/,
      );
    } finally {
      await digicert.close();
    }
  });
});
