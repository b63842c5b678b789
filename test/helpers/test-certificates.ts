// Certificates for TLS tests, made by openssl in a folder the caller owns (and removes): a CA of the test's own
// and leaves it signs, each with its lifetime and subjectAltName.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
  keyPath: string;
  certPath: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA in `folder`, valid `days`; returns its PEM and a function that signs leaves with it. */
export function makeTestCa(
  folder: string,
  days = 2,
): { ca: string; leaf: (name: string, days: number, altNames: string) => TestCertificate } {
  const caKey = join(folder, 'ca.key');
  const caCert = join(folder, 'ca.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...EC_KEY,
      '-days',
      String(days),
      '-subj',
      '/CN=shipkit test CA',
      '-keyout',
      caKey,
      '-out',
      caCert,
    ],
    { stdio: 'ignore' },
  );
  const leaf = (name: string, leafDays: number, altNames: string): TestCertificate => {
    const keyPath = join(folder, `${name}.key`);
    const csr = join(folder, `${name}.csr`);
    const certPath = join(folder, `${name}.crt`);
    const ext = join(folder, `${name}.ext`);
    execFileSync(
      'openssl',
      ['req', '-new', ...EC_KEY, '-keyout', keyPath, '-out', csr, '-subj', `/CN=${name}`],
      {
        stdio: 'ignore',
      },
    );
    writeFileSync(ext, `subjectAltName=${altNames}\n`);
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        '-CAcreateserial',
        '-days',
        String(leafDays),
        '-extfile',
        ext,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), keyPath, certPath };
  };
  return { ca: readFileSync(caCert, 'utf8'), leaf };
}
