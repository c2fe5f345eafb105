import { X509Certificate, createPrivateKey } from "node:crypto";
import { generateSelfSignedCertificate } from "../../provider/src/plugin/certificate";
import * as der from "../../provider/src/plugin/der";

describe("generateSelfSignedCertificate", () => {
  const now = new Date("2030-01-02T03:04:05.000Z");
  const certificate = generateSelfSignedCertificate({ now, validityMs: 60 * 60 * 1000 });
  const parsed = new X509Certificate(certificate.certificateDer);

  test("names localhost", () => {
    expect(parsed.subject).toBe("CN=localhost");
    expect(parsed.issuer).toBe("CN=localhost");
    expect(parsed.subjectAltName).toBe("DNS:localhost");
    expect(parsed.checkHost("localhost")).toBe("localhost");
  });

  test("starts validity in the past", () => {
    expect(new Date(parsed.validFrom).getTime()).toBe(now.getTime() - 30_000);
    expect(new Date(parsed.validTo).getTime()).toBe(now.getTime() + 60 * 60 * 1000);
  });

  test("is self-signed with EC P-256", () => {
    expect(parsed.verify(parsed.publicKey)).toBe(true);
    expect(parsed.publicKey.asymmetricKeyType).toBe("ec");
    expect(parsed.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(parsed.ca).toBe(true);
  });

  test("allows server and client authentication", () => {
    expect(parsed.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  });

  test("pairs with its private key", () => {
    const key = createPrivateKey(certificate.privateKeyPem);
    expect(parsed.checkPrivateKey(key)).toBe(true);
  });

  test("PEM and DER agree", () => {
    expect(new X509Certificate(certificate.certificatePem).raw).toEqual(certificate.certificateDer);
  });

  test("serial numbers differ", () => {
    const other = new X509Certificate(generateSelfSignedCertificate().certificateDer);
    expect(other.serialNumber).not.toBe(parsed.serialNumber);
  });

  test("uses GeneralizedTime after 2049", () => {
    const late = generateSelfSignedCertificate({ now: new Date("2049-12-31T23:00:00Z"), validityMs: 2 * 60 * 60 * 1000 });
    const lateParsed = new X509Certificate(late.certificateDer);

    expect(new Date(lateParsed.validTo).toISOString()).toBe("2050-01-01T01:00:00.000Z");
  });
});

describe("DER writer", () => {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

  test("integers are minimal two's complement", () => {
    expect(hex(der.integer(0))).toBe("020100");
    expect(hex(der.integer(127))).toBe("02017f");
    expect(hex(der.integer(128))).toBe("02020080");
    expect(hex(der.integer(256))).toBe("02020100");
    expect(hex(der.unsignedInteger(Buffer.from([0, 0, 0x01])))).toBe("020101");
  });

  test("long lengths use the long form", () => {
    expect(hex(der.octetString(Buffer.alloc(200))).slice(0, 6)).toBe("0481c8");
    expect(hex(der.octetString(Buffer.alloc(300))).slice(0, 8)).toBe("0482012c");
  });

  test("object identifiers use base 128", () => {
    expect(hex(der.objectIdentifier("1.2.840.10045.4.3.2"))).toBe("06082a8648ce3d040302");
    expect(hex(der.objectIdentifier("2.5.29.17"))).toBe("0603551d11");
  });

  test("invalid object identifiers are rejected", () => {
    expect(() => der.objectIdentifier("1")).toThrow('invalid object identifier "1"');
    expect(() => der.objectIdentifier("1.x.3")).toThrow('invalid object identifier "1.x.3"');
  });
});
