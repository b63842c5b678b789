// Google: API keys are "AIza" + 35 base64url characters (Google Cloud "API keys" docs); OAuth 2.0 access
// tokens start "ya29." and refresh tokens "1//" (Google Identity, "Using OAuth 2.0"); OAuth client secrets
// issued since 2021 start "GOCSPX-" + 28; service-account key files are JSON with "type": "service_account"
// and a PKCS#8 "private_key" (IAM docs, "Create and delete service account keys"); FCM legacy server keys
// are "AAAA" + 7 + ":APA91b" + 134 (Firebase Cloud Messaging, legacy HTTP API).
import { ALNUM, BASE64, BASE64URL, base64Of, DIGITS, HEX, LOWER_ALNUM, rand } from '../fake.js';
import type { SecretRule } from '../types.js';
import { prefixedToken } from './shape.js';

function serviceAccount(): string {
  const pem = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');
  return JSON.stringify(
    {
      type: 'service_account',
      project_id: `proj-${rand(LOWER_ALNUM, 6)}`,
      private_key_id: rand(HEX, 40),
      private_key: `${pem}\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${rand(BASE64, 64)}\n${rand(BASE64, 64)}\n-----END PRIVATE KEY-----\n`,
      client_email: `svc@proj-${rand(LOWER_ALNUM, 6)}.iam.gserviceaccount.com`,
    },
    null,
    2,
  );
}

export const GOOGLE_RULES: SecretRule[] = [
  prefixedToken({
    id: 'google-api-key',
    ruleId: 'secret-google',
    description: 'Google API key (Maps, Firebase, Gemini, Cloud)',
    prefix: 'AIza',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: 35,
    minEntropy: 3.5,
  }),
  prefixedToken({
    id: 'google-oauth-access-token',
    ruleId: 'secret-google',
    description: 'Google OAuth 2.0 access token',
    prefix: 'ya29.',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: [30, 2048],
    minEntropy: 3.5,
  }),
  {
    id: 'google-oauth-refresh-token',
    ruleId: 'secret-google',
    description: 'Google OAuth 2.0 refresh token',
    keywords: ['1//0'],
    pattern: /(?<![\w:/])1\/\/0[A-Za-z0-9_-]{40,}/g,
    minEntropy: 3.5,
    examples: () => ({
      positive: [`"refresh_token": "1//0${rand(ALNUM, 60)}"`, `REFRESH_TOKEN=1//0${rand(BASE64URL, 90)}`],
      negative: ['see https://1//0 in docs', `x = 1//0${rand(ALNUM, 10)}`],
    }),
  },
  prefixedToken({
    id: 'google-oauth-client-secret',
    ruleId: 'secret-google',
    description: 'Google OAuth client secret',
    prefix: 'GOCSPX-',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: 28,
    minEntropy: 3.5,
  }),
  {
    // Secrets issued before 2021: 24 characters under "client_secret" next to a *.apps.googleusercontent.com id.
    id: 'google-oauth-client-secret-legacy',
    ruleId: 'secret-google',
    description: 'Google OAuth client secret (legacy, next to its client id)',
    keywords: ['apps.googleusercontent.com'],
    pattern: /"client_secret"\s*:\s*"(?<secret>[A-Za-z0-9_-]{24})"/g,
    window: { before: 600, after: 600, multiline: true },
    minEntropy: 3.5,
    examples: () => ({
      positive: [
        `{"installed":{"client_id":"${rand(DIGITS, 12)}-${rand(LOWER_ALNUM, 32)}.apps.googleusercontent.com","client_secret":"${rand(ALNUM, 24)}"}}`,
        `{"web":{"client_secret":"${rand(BASE64URL, 24)}","client_id":"${rand(DIGITS, 12)}-x.apps.googleusercontent.com"}}`,
      ],
      negative: [
        `{"client_id":"1-x.apps.googleusercontent.com","client_secret":"\${CLIENT_SECRET}"}`,
        `{"client_secret":"${rand(ALNUM, 24)}"}`,
      ],
    }),
  },
  {
    id: 'google-service-account-key',
    ruleId: 'secret-google',
    description: 'Google Cloud service account key file',
    keywords: ['service_account'],
    pattern:
      /"type"\s*:\s*"service_account"[\s\S]{0,3000}?"private_key"\s*:\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----\\n[A-Za-z0-9+/=]{40}[^"]*)"/g,
    window: { before: 200, after: 5000, multiline: true },
    examples: () => ({
      positive: [serviceAccount(), `const credentials = ${serviceAccount().replace(/\n\s*/g, ' ')};`],
      negative: [
        '{"type": "service_account", "private_key": "<private key>"}',
        '{"type": "authorized_user", "client_id": "x", "refresh_token": "<token>"}',
      ],
    }),
  },
  {
    // The same file base64-encoded (a common way to put it in a CI variable): `{"type": "service_account"`.
    id: 'google-service-account-key-base64',
    ruleId: 'secret-google',
    description: 'Google Cloud service account key file, base64-encoded',
    keywords: [
      'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs',
      'eyJ0eXBlIjoic2VydmljZV9hY2NvdW50Ii',
      'eyJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs',
    ],
    pattern:
      /\b(?:ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs|eyJ0eXBlIjoic2VydmljZV9hY2NvdW50Ii|eyJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs)[A-Za-z0-9+/]{200,}={0,2}/g,
    window: { before: 0, after: 8000 },
    check: (secret) =>
      /"private_key"\s*:\s*"-----BEGIN/.test(Buffer.from(secret, 'base64').toString('utf8'))
        ? 'ok'
        : 'reject',
    examples: () => ({
      positive: [
        `GCP_SA_KEY=${base64Of(serviceAccount())}`,
        `credentials: "${base64Of(serviceAccount().replace(/\n\s*/g, ''))}"`,
      ],
      negative: [
        `GCP_SA_KEY=${base64Of('{"type": "service_account", "project_id": "p", "client_email": "a@b.c", "note": "no key here, only metadata padding padding padding padding padding padding padding padding padding padding padding padding"}')}`,
        'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs',
      ],
    }),
  },
  {
    id: 'firebase-cloud-messaging-server-key',
    ruleId: 'secret-google',
    description: 'Firebase Cloud Messaging legacy server key',
    keywords: [':APA91b'],
    exactCase: true,
    pattern: /\bAAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}/g,
    window: { before: 20, after: 200 },
    examples: () => ({
      positive: [
        `FCM_SERVER_KEY=AAAA${rand(BASE64URL, 7)}:APA91b${rand(BASE64URL, 134)}`,
        `"key=AAAA${rand(ALNUM, 7)}:APA91b${rand(ALNUM, 134)}"`,
      ],
      negative: [`AAAA${rand(ALNUM, 7)}:APA91b${rand(ALNUM, 20)}`, 'registration id starts with :APA91b'],
    }),
  },
];
