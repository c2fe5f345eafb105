// Server side of go-plugin's AutoMTLS. Terraform passes its client
// certificate in PLUGIN_CLIENT_CERT, the provider presents a fresh
// self-signed certificate of its own, and each side accepts only the other.
import {
  ServerCredentials,
  ServerInterceptingCall,
  status,
  type ServerInterceptor,
} from "@grpc/grpc-js";
import { logger } from "../log";
import { generateSelfSignedCertificate } from "./certificate";
import type { HandshakeSettings } from "./handshake";

export interface ServerTls {
  credentials: ServerCredentials;
  /** Rejects every call whose client certificate is not Terraform's own. */
  interceptor: ServerInterceptor;
  /** The server certificate in DER, for the handshake line. */
  certificateDer: Buffer;
}

/**
 * Builds TLS credentials that require a client certificate and trust only
 * Terraform's certificate as its issuer, so the TLS handshake already fails
 * for a client without a certificate or with any other self-signed one.
 */
export function createServerTls(settings: HandshakeSettings): ServerTls {
  const certificate = generateSelfSignedCertificate();
  const credentials = ServerCredentials.createSsl(
    Buffer.from(settings.clientCertificatePem),
    [
      {
        private_key: Buffer.from(certificate.privateKeyPem),
        cert_chain: Buffer.from(certificate.certificatePem),
      },
    ],
    true,
  );
  return {
    credentials,
    interceptor: requireExactClientCertificate(settings.clientCertificateDer),
    certificateDer: certificate.certificateDer,
  };
}

/**
 * Returns an interceptor that rejects calls unless the client presented
 * exactly `expectedDer`. TLS verification alone also accepts any certificate
 * that Terraform's certificate has signed, because go-plugin's mtls.go makes
 * that certificate a CA (IsCA with the certificate-signing key usage).
 */
export function requireExactClientCertificate(expectedDer: Buffer): ServerInterceptor {
  return (method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, forward) => {
            const presented = call.getAuthContext().sslPeerCertificate?.raw;
            if (presented !== undefined && presented.equals(expectedDer)) {
              forward(metadata);
              return;
            }
            logger.warn("Rejected a call with a client certificate other than Terraform's", {
              method: method.path,
              client_certificate: presented === undefined ? "none" : "other",
            });
            call.sendStatus({
              code: status.UNAUTHENTICATED,
              details: "the client certificate is not the one Terraform passed in PLUGIN_CLIENT_CERT",
            });
          },
        });
      },
    });
}
