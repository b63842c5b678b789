// AWS: access key ids are 4-letter type prefixes (AKIA long-term, ASIA temporary, ABIA/ACCA service) + 16
// base32 characters (IAM User Guide, "Unique identifiers"); secret access keys are 40 base64 characters,
// recognisable only by the name they are stored under (the credentials file's aws_secret_access_key).
import { BASE64, rand } from '../fake.js';
import type { SecretRule } from '../types.js';

const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const AWS_RULES: SecretRule[] = [
  {
    id: 'aws-access-key-id',
    ruleId: 'secret-aws-access-key-id',
    description: 'AWS access key id',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    exactCase: true,
    pattern: /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
    minEntropy: 3,
    examples: () => ({
      positive: [
        `aws_access_key_id = AKIA${rand(BASE32_UPPER, 16)}`,
        `"AccessKeyId": "ASIA${rand(BASE32_UPPER, 16)}"`,
      ],
      negative: [
        'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
        `key = AKIA${rand(BASE32_UPPER, 12)}`,
        `AKIA${rand(BASE32_UPPER, 16)}AB`,
      ],
    }),
  },
  {
    id: 'aws-secret-access-key',
    ruleId: 'secret-aws',
    description: 'AWS secret access key',
    keywords: [
      'aws_secret',
      'aws-secret',
      'awssecret',
      'secret_access_key',
      'secretaccesskey',
      'secret-access-key',
    ],
    pattern:
      /(?:aws)?[_-]?secret[_-]?(?:access)?[_-]?key["']?\s*(?::=|=>|[:=])\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    minEntropy: 3.5,
    examples: () => ({
      positive: [
        `aws_secret_access_key = ${rand(BASE64, 40)}`,
        `"SecretAccessKey": "${rand(BASE64, 40)}"`,
        `AWS_SECRET_ACCESS_KEY: ${rand(BASE64, 40)}`,
      ],
      negative: [
        'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        `aws_secret_access_key = \${AWS_SECRET_ACCESS_KEY}`,
        `aws_secret_access_key = ${rand(BASE64, 30)}`,
      ],
    }),
  },
  {
    id: 'aws-session-token',
    ruleId: 'secret-aws',
    description: 'AWS session token',
    keywords: ['session_token', 'sessiontoken', 'session-token'],
    pattern:
      /(?:aws)?[_-]?session[_-]?token["']?\s*(?::=|=>|[:=])\s*["']?(?<secret>(?:IQo|FwoG|FQoG)[A-Za-z0-9/+=]{100,})/gi,
    minEntropy: 4,
    examples: () => ({
      positive: [
        `aws_session_token = IQoJb3JpZ2luX2VjE${rand(BASE64, 200)}`,
        `"SessionToken": "FwoGZXIvYXdzE${rand(BASE64, 300)}"`,
      ],
      negative: [`aws_session_token = IQoJ${rand(BASE64, 20)}`, 'aws_session_token = <session token>'],
    }),
  },
  {
    id: 'amazon-mws-auth-token',
    ruleId: 'secret-aws',
    description: 'Amazon MWS auth token',
    keywords: ['amzn.mws.'],
    pattern: /amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    examples: () => ({
      positive: [
        `mws_token = amzn.mws.${rand('0123456789abcdef', 8)}-${rand('0123456789abcdef', 4)}-${rand('0123456789abcdef', 4)}-${rand('0123456789abcdef', 4)}-${rand('0123456789abcdef', 12)}`,
        `"MWSAuthToken": "amzn.mws.${rand('0123456789abcdef', 8)}-${rand('0123456789abcdef', 4)}-${rand('0123456789abcdef', 4)}-${rand('0123456789abcdef', 4)}-${rand('0123456789abcdef', 12)}"`,
      ],
      negative: ['amzn.mws.token', `amzn.mws.${rand('0123456789abcdef', 8)}`],
    }),
  },
  {
    // Bedrock long-term API keys: ABSK + base64 of "BedrockAPIKey-..." (AWS Bedrock user guide, "API keys").
    id: 'aws-bedrock-api-key',
    ruleId: 'secret-aws',
    description: 'Amazon Bedrock API key',
    keywords: ['ABSKQmVkcm9ja0FQSUtleS'],
    exactCase: true,
    pattern: /\bABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{40,}={0,2}/g,
    examples: () => ({
      positive: [
        `AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS${rand(BASE64, 100)}`,
        `key: "ABSKQmVkcm9ja0FQSUtleS${rand(BASE64, 120)}="`,
      ],
      negative: ['ABSKQmVkcm9ja0FQSUtleS', `ABSKQmVkcm9ja0FQSUtleS${rand(BASE64, 10)}`],
    }),
  },
];
