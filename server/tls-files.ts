import fs from 'node:fs';
import tls from 'node:tls';
import { StartupError } from './startup-error.js';

/** The PEM certificate (chain) and private key the server serves HTTPS and WSS with. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads GLOSS_TLS_CERT and GLOSS_TLS_KEY and checks that they make a usable pair, before the server
 * opens its database or a port: a missing file, an unreadable one, a key that is not the
 * certificate's or text that is not PEM is an operator's mistake, told as one `startup_refused` line
 * (`tls_unreadable`, `tls_invalid`) instead of a stack trace, and nothing else has started yet.
 */
export function readTlsFiles(paths: { certPath: string; keyPath: string }): TlsMaterial {
  const material = { cert: readNamed('GLOSS_TLS_CERT', paths.certPath), key: readNamed('GLOSS_TLS_KEY', paths.keyPath) };
  try {
    // The same parse the HTTPS server makes, and OpenSSL's check that the key belongs to the certificate.
    tls.createSecureContext(material);
  } catch (err) {
    throw new StartupError(
      'tls_invalid',
      `GLOSS_TLS_CERT (${paths.certPath}) and GLOSS_TLS_KEY (${paths.keyPath}) are not a PEM certificate and its private key: ${(err as Error).message}`,
    );
  }
  return material;
}

function readNamed(variable: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new StartupError('tls_unreadable', `${variable} names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
