// Messaging and e-mail APIs. Twilio: Account SIDs "AC" + 32 hex, API key SIDs "SK" + 32 hex, auth tokens
// and API key secrets 32 characters (twilio.com/docs/iam/api-keys); SendGrid "SG." + 22 + "." + 43
// (docs.sendgrid.com, API keys); Mailgun private keys "key-" + 32 hex or 32 hex-8-8 (Mailgun docs);
// Mailchimp 32 hex + "-us<n>" datacenter suffix; Brevo "xkeysib-" + 64 hex + "-" + 16; Postmark server
// tokens are UUIDs under X-Postmark-Server-Token; Vonage keys/secrets by name; MessageBird 25 characters.
import { ALNUM, BASE64URL, DIGITS, HEX, rand, uuid } from '../fake.js';
import type { SecretRule } from '../types.js';
import { prefixedToken } from './shape.js';

export const MESSAGING_RULES: SecretRule[] = [
  {
    id: 'twilio-api-key',
    ruleId: 'secret-twilio',
    description: 'Twilio API key SID with its secret, or an account SID with its auth token',
    keywords: ['twilio', 'auth_token', 'authtoken'],
    pattern: /(?<![A-Za-z0-9])(?<secret>(?:SK|AC)[0-9a-f]{32})(?![A-Za-z0-9])/g,
    window: { before: 400, after: 400, multiline: true },
    examples: () => ({
      positive: [
        `TWILIO_API_KEY=SK${rand(HEX, 32)}\nTWILIO_API_SECRET=${rand(ALNUM, 32)}`,
        `client = twilio("AC${rand(HEX, 32)}", "${rand(HEX, 32)}")`,
      ],
      negative: [`twilio sid: SK${rand(HEX, 20)}`, `TWILIO_ACCOUNT_SID=AC${'x'.repeat(32)}`],
    }),
  },
  {
    id: 'twilio-auth-token',
    ruleId: 'secret-twilio',
    description: 'Twilio auth token or API key secret',
    keywords: ['twilio'],
    pattern:
      /twilio[\w-]*(?:auth[_-]?token|api[_-]?secret|secret)["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/gi,
    minEntropy: 3,
    examples: () => ({
      positive: [`TWILIO_AUTH_TOKEN=${rand(HEX, 32)}`, `twilio_api_secret: "${rand(ALNUM, 32)}"`],
      negative: [`TWILIO_AUTH_TOKEN=${rand(HEX, 12)}`, 'TWILIO_AUTH_TOKEN=your_auth_token'],
    }),
  },
  {
    id: 'sendgrid-api-key',
    ruleId: 'secret-sendgrid',
    description: 'SendGrid API key',
    keywords: ['SG.'],
    exactCase: true,
    pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.5,
    examples: () => ({
      positive: [
        `SENDGRID_API_KEY=SG.${rand(BASE64URL, 22)}.${rand(BASE64URL, 43)}`,
        `sg.setApiKey("SG.${rand(ALNUM, 22)}.${rand(ALNUM, 43)}")`,
      ],
      negative: [
        `SG.${rand(ALNUM, 22)}`,
        'SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      ],
    }),
  },
  prefixedToken({
    id: 'mailgun-api-key',
    ruleId: 'secret-mailgun',
    description: 'Mailgun private API key',
    prefix: 'key-',
    body: 'a-f0-9',
    alphabet: HEX,
    length: 32,
    minEntropy: 3,
  }),
  {
    id: 'mailgun-api-key-v2',
    ruleId: 'secret-mailgun',
    description: 'Mailgun API key (hex-8-8 format) or webhook signing key',
    keywords: ['mailgun'],
    pattern:
      /mailgun[\w-]*(?:key|secret)["']?\s*[:=]\s*["']?(?<secret>[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}|[a-f0-9]{32})(?![a-f0-9-])/gi,
    examples: () => ({
      positive: [
        `MAILGUN_API_KEY=${rand(HEX, 32)}-${rand(HEX, 8)}-${rand(HEX, 8)}`,
        `mailgun_signing_key: "${rand(HEX, 32)}"`,
      ],
      negative: [`MAILGUN_API_KEY=${rand(HEX, 16)}`, 'MAILGUN_DOMAIN=mg.acme.io'],
    }),
  },
  {
    id: 'mailchimp-api-key',
    ruleId: 'secret-mailchimp',
    description: 'Mailchimp API key',
    keywords: ['-us'],
    pattern: /(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9])/g,
    window: { before: 40, after: 10 },
    minEntropy: 3,
    examples: () => ({
      positive: [`MAILCHIMP_API_KEY=${rand(HEX, 32)}-us21`, `apiKey: '${rand(HEX, 32)}-us6'`],
      negative: [`${rand(HEX, 20)}-us21`, `${rand(HEX, 32)}-usa`],
    }),
  },
  prefixedToken({
    id: 'brevo-api-key',
    ruleId: 'secret-brevo',
    description: 'Brevo (Sendinblue) API key',
    prefix: 'xkeysib-',
    body: 'a-f0-9',
    alphabet: HEX,
    length: 64,
    suffix: '-[A-Za-z0-9]{16}',
    exampleSuffix: () => `-${rand(ALNUM, 16)}`,
  }),
  prefixedToken({
    id: 'brevo-smtp-key',
    ruleId: 'secret-brevo',
    description: 'Brevo (Sendinblue) SMTP key',
    prefix: 'xsmtpsib-',
    body: 'a-f0-9',
    alphabet: HEX,
    length: 64,
    suffix: '-[A-Za-z0-9]{16}',
    exampleSuffix: () => `-${rand(ALNUM, 16)}`,
  }),
  {
    id: 'postmark-server-token',
    ruleId: 'secret-postmark',
    description: 'Postmark server or account token',
    keywords: ['postmark'],
    pattern:
      /postmark[\w-]*(?:token|key)["']?\s*[:=]\s*["']?(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi,
    examples: () => ({
      positive: [`POSTMARK_SERVER_TOKEN=${uuid()}`, `"X-Postmark-Server-Token": "${uuid()}"`],
      negative: ['POSTMARK_SERVER_TOKEN=POSTMARK_API_TEST', 'postmark_token: ${TOKEN}'],
    }),
  },
  {
    id: 'vonage-api-secret',
    ruleId: 'secret-vonage',
    description: 'Vonage (Nexmo) API secret',
    keywords: ['vonage', 'nexmo'],
    pattern: /(?:vonage|nexmo)[\w-]*secret["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9]{16})(?![A-Za-z0-9])/gi,
    minEntropy: 3,
    examples: () => ({
      positive: [`VONAGE_API_SECRET=${rand(ALNUM, 16)}`, `nexmo_secret: "${rand(ALNUM, 16)}"`],
      negative: [`VONAGE_API_SECRET=${rand(ALNUM, 8)}`, 'VONAGE_API_SECRET=<secret>'],
    }),
  },
  {
    id: 'messagebird-api-key',
    ruleId: 'secret-messagebird',
    description: 'MessageBird API access key',
    keywords: ['messagebird', 'message_bird', 'message-bird'],
    pattern:
      /message[_-]?bird[\w-]*(?:key|token)["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9]{25})(?![A-Za-z0-9])/gi,
    minEntropy: 3,
    examples: () => ({
      positive: [`MESSAGEBIRD_API_KEY=${rand(ALNUM, 25)}`, `messagebird_access_key: '${rand(ALNUM, 25)}'`],
      negative: [`MESSAGEBIRD_API_KEY=${rand(ALNUM, 10)}`, `MESSAGEBIRD_ORIGINATOR=${rand(DIGITS, 10)}`],
    }),
  },
];
