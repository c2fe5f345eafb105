// Self-signed certificates for go-plugin's AutoMTLS. Terraform and the
// provider each generate one per process start and trust only the other's,
// so both ends of the gRPC connection are authenticated. Node 20 has no API
// that creates X.509 certificates, so the certificate is built here with a
// small DER writer and signed with node:crypto. With an EC P-256 key this
// costs a few milliseconds per start, while generating an RSA key would cost
// hundreds.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import * as der from "./der";

export interface SelfSignedCertificate {
  /** The certificate in DER, as it goes (base64) into the handshake line. */
  certificateDer: Buffer;
  certificatePem: string;
  /** The private key as PKCS #8 PEM. */
  privateKeyPem: string;
}

export interface CertificateOptions {
  /** Subject and issuer common name, and the DNS subject alternative name. @default "localhost" */
  hostname?: string;
  /** The time the validity is computed from. @default the current time */
  now?: Date;
  /** How long the certificate stays valid after `now`, in milliseconds. @default 7 days */
  validityMs?: number;
}

/** The certificate authority that signs an issued certificate. */
export interface CertificateIssuer {
  /** Common name of the issuer's subject, which becomes the issuer name. */
  hostname: string;
  /** The issuer's private key as PEM. */
  privateKeyPem: string;
}

// Object identifiers, from RFC 5280 and RFC 5758.
const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extendedKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

/** Start of validity before `now`, so that a peer whose clock runs slightly behind accepts the certificate. */
const CLOCK_SKEW_MS = 30_000;

const DEFAULT_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Generates an EC P-256 key pair and a certificate for it, signed with its
 * own key (ECDSA with SHA-256). The certificate is its own CA
 * (basicConstraints CA:TRUE, keyUsage digitalSignature and keyCertSign), is
 * valid for both TLS server and client authentication, and names `hostname`
 * as DNS subject alternative name, which is what go-plugin's client checks.
 */
export function generateSelfSignedCertificate(
  options: CertificateOptions = {},
): SelfSignedCertificate {
  return generateCertificate(options);
}

/**
 * Generates a key pair and a certificate for it like
 * generateSelfSignedCertificate, but signed by `issuer`. Tests use it to
 * build a certificate that chains to another one.
 */
export function generateIssuedCertificate(
  issuer: CertificateIssuer,
  options: CertificateOptions = {},
): SelfSignedCertificate {
  return generateCertificate(options, issuer);
}

function generateCertificate(
  options: CertificateOptions,
  issuer?: CertificateIssuer,
): SelfSignedCertificate {
  const hostname = options.hostname ?? "localhost";
  const now = options.now ?? new Date();
  const validityMs = options.validityMs ?? DEFAULT_VALIDITY_MS;

  const { publicKey, privateKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
  });

  const distinguishedName = (commonName: string): Buffer =>
    der.sequence(
      der.set(der.sequence(der.objectIdentifier(OID.commonName), der.utf8String(commonName))),
    );
  const name = distinguishedName(hostname);
  const issuerName = issuer === undefined ? name : distinguishedName(issuer.hostname);
  const signingKey = issuer === undefined ? privateKey : createPrivateKey(issuer.privateKeyPem);
  const signatureAlgorithm = der.sequence(der.objectIdentifier(OID.ecdsaWithSha256));

  const toBeSigned = der.sequence(
    der.explicit(0, der.integer(2)), // version v3
    der.unsignedInteger(generateSerialNumber()),
    signatureAlgorithm,
    issuerName,
    der.sequence(
      der.time(new Date(now.getTime() - CLOCK_SKEW_MS)),
      der.time(new Date(now.getTime() + validityMs)),
    ),
    name, // subject
    publicKey.export({ type: "spki", format: "der" }),
    der.explicit(3, der.sequence(...buildExtensions(hostname))),
  );

  // dsaEncoding "der" yields the ECDSA-Sig-Value structure X.509 expects.
  const signature = sign("sha256", toBeSigned, { key: signingKey, dsaEncoding: "der" });
  const certificateDer = der.sequence(toBeSigned, signatureAlgorithm, der.bitString(signature));

  return {
    certificateDer,
    certificatePem: toPem("CERTIFICATE", certificateDer),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function buildExtensions(hostname: string): Buffer[] {
  const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
    der.sequence(
      der.objectIdentifier(oid),
      ...(critical ? [der.boolean(true)] : []),
      der.octetString(value),
    );

  // keyUsage is a named bit list: digitalSignature is bit 0 and keyCertSign
  // bit 5, so the byte is 1000 0100 and its last two bits are unused.
  const keyUsage = der.bitString(Buffer.from([0x84]), 2);

  return [
    extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
    extension(OID.keyUsage, true, keyUsage),
    extension(
      OID.extendedKeyUsage,
      false,
      der.sequence(der.objectIdentifier(OID.serverAuth), der.objectIdentifier(OID.clientAuth)),
    ),
    // GeneralName dNSName is [2] IMPLICIT IA5String.
    extension(
      OID.subjectAltName,
      false,
      der.sequence(der.implicitPrimitive(2, Buffer.from(hostname, "ascii"))),
    ),
  ];
}

/** Returns a random positive serial number of 128 bits at most (RFC 5280 allows up to 20 bytes). */
function generateSerialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  serial[0] |= 0x01; // never zero, never a leading zero byte
  return serial;
}

function toPem(label: string, bytes: Buffer): string {
  const lines = bytes.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
