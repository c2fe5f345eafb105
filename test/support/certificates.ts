// Test certificates made at run time with the openssl command: CAs, server
// and client certificates with chosen validity dates, and PKCS#12 exports.
// `openssl ca` is used because OpenSSL 3.0's `x509 -req` cannot set a start
// or end date in the past.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A certificate and its unencrypted PKCS#8 key, as files and as PEM text. */
export interface IssuedCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface IssueOptions {
  /** Common name of the subject. */
  readonly name: string;
  /** "server" adds serverAuth and the subject alternative names 127.0.0.1 and localhost. */
  readonly usage: "server" | "client" | "code-signing";
  /** Start of validity. @default one day ago */
  readonly notBefore?: Date;
  /** End of validity. @default 30 days from now */
  readonly notAfter?: Date;
}

const EXTENSIONS = `
[ca]
default_ca = test_ca

[test_ca]
database = index.txt
new_certs_dir = issued
serial = serial.txt
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none

[policy_any]
commonName = supplied

[server]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost

[client]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth

[code-signing]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
`;

/** Formats a date as `openssl ca` expects, such as "20260101120000Z". */
function opensslDate(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").replace(/\.\d{3}Z$/, "Z");
}

function openssl(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  execFileSync("openssl", args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** A certificate authority in its own folder, which issues test certificates. */
export class TestCertificateAuthority {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  private issued = 0;

  private constructor(
    private readonly dir: string,
    readonly name: string,
  ) {
    this.certPath = path.join(dir, "ca.pem");
    this.keyPath = path.join(dir, "ca.key");
    writeFileSync(path.join(dir, "openssl.cnf"), EXTENSIONS);
    writeFileSync(path.join(dir, "index.txt"), "");
    writeFileSync(path.join(dir, "serial.txt"), "1000\n");
    mkdirSync(path.join(dir, "issued"));
    openssl(
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", this.keyPath, "-out", this.certPath, "-days", "30",
        "-subj", `/CN=${name}`,
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      ],
      dir,
    );
    this.certPem = readFileSync(this.certPath, "utf8");
  }

  /** Creates a CA in a new folder under `parent`. */
  static create(parent: string, name: string): TestCertificateAuthority {
    const dir = mkdtempSync(path.join(parent, "ca-"));
    return new TestCertificateAuthority(dir, name);
  }

  /** Issues a certificate with a new P-256 key. */
  issue(options: IssueOptions): IssuedCertificate {
    this.issued += 1;
    const base = path.join(this.dir, `${this.issued}-${options.usage}`);
    const keyPath = `${base}.key`;
    const csrPath = `${base}.csr`;
    const certPath = `${base}.pem`;
    const day = 86_400_000;
    const notBefore = options.notBefore ?? new Date(Date.now() - day);
    const notAfter = options.notAfter ?? new Date(Date.now() + 30 * day);

    openssl(
      [
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", keyPath, "-out", csrPath, "-subj", `/CN=${options.name}`,
      ],
      this.dir,
    );
    openssl(
      [
        "ca", "-batch", "-config", "openssl.cnf", "-notext",
        "-cert", this.certPath, "-keyfile", this.keyPath,
        "-in", csrPath, "-out", certPath, "-extensions", options.usage,
        "-startdate", opensslDate(notBefore), "-enddate", opensslDate(notAfter),
      ],
      this.dir,
    );
    return {
      certPath,
      keyPath,
      certPem: readFileSync(certPath, "utf8"),
      keyPem: readFileSync(keyPath, "utf8"),
    };
  }

  /**
   * Exports a certificate and its key as a PKCS#12 file with OpenSSL 3's
   * default algorithms, or the RC2 and 3DES ones of OpenSSL 1.1 with
   * `legacy`. The password is passed through the environment.
   */
  exportPkcs12(issued: IssuedCertificate, password: string, legacy = false): string {
    this.issued += 1;
    const pfxPath = path.join(this.dir, `${this.issued}.p12`);
    openssl(
      [
        "pkcs12", "-export", ...(legacy ? ["-legacy"] : []),
        "-in", issued.certPath, "-inkey", issued.keyPath, "-out", pfxPath,
        "-passout", "env:TEST_PKCS12_PASSWORD",
      ],
      this.dir,
      { TEST_PKCS12_PASSWORD: password },
    );
    return pfxPath;
  }
}

/** A temporary folder for test certificates, removed by `remove()`. */
export class CertificateWorkspace {
  readonly dir = mkdtempSync(path.join(tmpdir(), "digicertone-certs-"));

  createAuthority(name: string): TestCertificateAuthority {
    return TestCertificateAuthority.create(this.dir, name);
  }

  /** Writes a file into the folder and returns its path. */
  write(name: string, content: string | Buffer): string {
    const filePath = path.join(this.dir, name);
    writeFileSync(filePath, content);
    return filePath;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
