// Identity providers and signed tokens. Okta API tokens are "00" + 40 base64url characters, sent as
// "Authorization: SSWS <token>" (developer.okta.com, "Create an API token"); Okta/Auth0/Keycloak/Cognito
// client secrets by name; JSON Web Tokens are base64url(header).base64url(payload).signature (RFC 7519):
// the header must decode to JSON naming a real signing `alg` (RFC 7518) and the payload to a JSON object.
import { ALNUM, base64UrlJson, BASE64URL, HEX, rand } from '../fake.js';
import { decodeJsonSegment } from '../text.js';
import type { CheckResult, SecretRule } from '../types.js';
import { named } from './shape.js';

const SIGNING_ALGS = /^(?:HS|RS|ES|PS)(?:256|384|512)$|^EdDSA$|^ES256K$/;

function checkJwt(secret: string): CheckResult {
  const [header, payload] = secret.split('.');
  const decodedHeader = decodeJsonSegment(header ?? '');
  const decodedPayload = decodeJsonSegment(payload ?? '');
  if (typeof decodedHeader !== 'object' || decodedHeader === null) return 'reject';
  if (typeof decodedPayload !== 'object' || decodedPayload === null) return 'reject';
  const alg = (decodedHeader as Record<string, unknown>)['alg'];
  return typeof alg === 'string' && SIGNING_ALGS.test(alg) ? 'ok' : 'reject';
}

function jwt(alg: string): string {
  const payload = { sub: rand(HEX, 12), iss: 'https://auth.acme.io/', iat: 1760000000, scope: 'deploy' };
  return `${base64UrlJson({ alg, typ: 'JWT' })}.${base64UrlJson(payload)}.${rand(BASE64URL, alg.startsWith('HS') ? 43 : 342)}`;
}

export const IDENTITY_RULES: SecretRule[] = [
  {
    id: 'jwt',
    ruleId: 'secret-jwt',
    description: 'JSON Web Token (signed)',
    keywords: ['eyJ'],
    exactCase: true,
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
    window: { before: 0, after: 16384 },
    check: checkJwt,
    examples: () => ({
      positive: [
        `Authorization: Bearer ${jwt('HS256')}`,
        `const token = '${jwt('RS256')}';`,
        `id_token=${jwt('ES384')}`,
      ],
      negative: [
        `token = '${jwt('none')}'`,
        `token = '${base64UrlJson({ typ: 'JWT' })}.${base64UrlJson({ sub: 'x' })}.${rand(BASE64URL, 43)}'`,
        `header = '${base64UrlJson({ alg: 'HS256' })}.notjson!.sig'`,
      ],
    }),
  },
  {
    id: 'okta-api-token',
    ruleId: 'secret-okta',
    description: 'Okta API token',
    keywords: ['okta', 'ssws'],
    pattern:
      /(?:SSWS\s+|okta[\w.-]*(?:api[_-]?)?token["']?\s*[:=]\s*["']?)(?<secret>00[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])/gi,
    minEntropy: 3.5,
    examples: () => ({
      positive: [`Authorization: SSWS 00${rand(BASE64URL, 40)}`, `OKTA_API_TOKEN=00${rand(ALNUM, 40)}`],
      negative: ['Authorization: SSWS ${OKTA_TOKEN}', `OKTA_API_TOKEN=00${rand(ALNUM, 20)}`],
    }),
  },
  named({
    id: 'okta-client-secret',
    ruleId: 'secret-okta',
    description: 'Okta OAuth client secret',
    keywords: ['okta'],
    name: 'okta[\\w-]*client[_-]?secret',
    value: '[A-Za-z0-9_-]{40,64}',
    make: () => rand(BASE64URL, 40),
    sample: 'OKTA_CLIENT_SECRET',
    minEntropy: 4,
  }),
  named({
    id: 'auth0-client-secret',
    ruleId: 'secret-auth0',
    description: 'Auth0 application client secret',
    keywords: ['auth0'],
    name: 'auth0[\\w-]*(?:client[_-]?)?secret',
    value: '[A-Za-z0-9_-]{64}',
    make: () => rand(BASE64URL, 64),
    sample: 'AUTH0_CLIENT_SECRET',
    minEntropy: 4,
  }),
  named({
    id: 'keycloak-client-secret',
    ruleId: 'secret-keycloak',
    description: 'Keycloak client secret',
    keywords: ['keycloak'],
    name: 'keycloak[\\w-]*(?:client[_-]?)?secret',
    value: '[A-Za-z0-9]{32}',
    make: () => rand(ALNUM, 32),
    sample: 'KEYCLOAK_CLIENT_SECRET',
  }),
  named({
    id: 'cognito-client-secret',
    ruleId: 'secret-aws',
    description: 'Amazon Cognito app client secret',
    keywords: ['cognito'],
    name: 'cognito[\\w-]*(?:client[_-]?)?secret',
    value: '[a-z0-9]{51,52}',
    make: () => rand('abcdefghijklmnopqrstuvwxyz0123456789', 52),
    sample: 'COGNITO_CLIENT_SECRET',
  }),
];
