// Every secret rule, in priority order (a rule earlier in the list wins when two match the same text),
// and the rule metadata (one SARIF/README rule per provider family) that rules.ts spreads into RULES.
import type { Rule } from '../rules.js';
import { AI_RULES } from './rules/ai.js';
import { AWS_RULES } from './rules/aws.js';
import { AZURE_RULES } from './rules/azure.js';
import { CHAT_RULES } from './rules/chat.js';
import { CLOUD_RULES } from './rules/cloud.js';
import { DATABASE_RULES } from './rules/databases.js';
import { DEVTOOLS_RULES } from './rules/devtools.js';
import { GENERIC_RULES } from './rules/generic.js';
import { GITHUB_RULES } from './rules/github.js';
import { GITLAB_RULES } from './rules/gitlab.js';
import { GOOGLE_RULES } from './rules/google.js';
import { IDENTITY_RULES } from './rules/identity.js';
import { MESSAGING_RULES } from './rules/messaging.js';
import { OBSERVABILITY_RULES } from './rules/observability.js';
import { PAYMENT_RULES } from './rules/payments.js';
import { PRIVATE_KEY_RULES } from './rules/private-keys.js';
import { REGISTRY_RULES } from './rules/registries.js';
import { SAAS_RULES } from './rules/saas.js';
import type { SecretRule } from './types.js';

/** Rule files by the family name the README and the closing note count them under. */
export const RULE_FILES: Readonly<Record<string, readonly SecretRule[]>> = {
  'private keys': PRIVATE_KEY_RULES,
  GitHub: GITHUB_RULES,
  GitLab: GITLAB_RULES,
  AWS: AWS_RULES,
  Google: GOOGLE_RULES,
  Azure: AZURE_RULES,
  'other clouds and platforms': CLOUD_RULES,
  'source hosting, CI/CD and developer tools': DEVTOOLS_RULES,
  'package registries': REGISTRY_RULES,
  'AI APIs': AI_RULES,
  'chat (Slack, Discord, Telegram, Teams, Mattermost)': CHAT_RULES,
  'messaging and e-mail': MESSAGING_RULES,
  payments: PAYMENT_RULES,
  observability: OBSERVABILITY_RULES,
  'SaaS APIs': SAAS_RULES,
  'identity and JWT': IDENTITY_RULES,
  'databases and connection strings': DATABASE_RULES,
  'generic assignments': GENERIC_RULES,
};

export const SECRET_RULES: readonly SecretRule[] = Object.values(RULE_FILES).flat();

const REVOKE =
  'Revoke the credential at its provider, purge it from history, and read it from a secret store at run time.';

/** Family rules whose wording differs from "<Provider> credential committed" / the default fix. */
const FAMILY_OVERRIDES: Readonly<Record<string, Partial<Rule>>> = {
  'secret-aws-access-key-id': {
    title: 'AWS access key id committed',
    fix: 'Deactivate the key in IAM, purge it from history, and use OIDC (role-to-assume) instead of stored keys.',
  },
  'secret-aws': {
    title: 'AWS secret key or token committed',
    fix: 'Deactivate the key in IAM, purge it from history, and use OIDC (role-to-assume) instead of stored keys.',
  },
  'secret-private-key': {
    title: 'Private key committed',
    fix: 'Revoke the key pair, purge it from history, and load keys from a secret store at run time.',
  },
  'secret-jwt': {
    title: 'Signed JSON Web Token committed',
    severity: 'high',
    fix: 'Revoke the token (or rotate its signing key), purge it from history, and fetch tokens at run time.',
  },
  'secret-database-connection-string': {
    title: 'Database connection string with a password committed',
    fix: 'Change the database password, purge it from history, and build the connection string from a secret at run time.',
  },
  'secret-basicauth': {
    title: 'URL with embedded credentials committed',
    fix: 'Change the password or token, purge it from history, and pass credentials separately from a secret store.',
  },
  'secret-generic-password': {
    title: 'Password assigned in code or configuration',
    severity: 'high',
    fix: 'Change the password, purge it from history, and read it from the environment or a secret store.',
  },
  'secret-generic-api-key': {
    title: 'API key, token or secret assigned in code or configuration',
    severity: 'high',
    fix: REVOKE,
  },
};

/** Provider names for family titles, from the family id (`secret-newrelic` -> New Relic). */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  '1password': '1Password',
  newrelic: 'New Relic',
  openai: 'OpenAI',
  huggingface: 'Hugging Face',
  digitalocean: 'DigitalOcean',
  gitlab: 'GitLab',
  github: 'GitHub',
  jfrog: 'JFrog',
  pypi: 'PyPI',
  npm: 'npm',
  rubygems: 'RubyGems',
  nuget: 'NuGet',
  dockerhub: 'Docker Hub registry',
  sendgrid: 'SendGrid',
  launchdarkly: 'LaunchDarkly',
  pagerduty: 'PagerDuty',
  circleci: 'CircleCI',
  sonarqube: 'SonarQube',
  teamcity: 'TeamCity',
  xai: 'xAI',
  openrouter: 'OpenRouter',
  langsmith: 'LangSmith',
  elevenlabs: 'ElevenLabs',
  assemblyai: 'AssemblyAI',
  deepseek: 'DeepSeek',
  hubspot: 'HubSpot',
  easypost: 'EasyPost',
  gocardless: 'GoCardless',
  paypal: 'PayPal/Braintree',
  mongodb: 'MongoDB',
  ldap: 'LDAP',
  ftp: 'FTP',
  smtp: 'SMTP',
  flyio: 'Fly.io',
  ibm: 'IBM Cloud',
  oracle: 'Oracle Cloud',
  logzio: 'Logz.io',
  frameio: 'Frame.io',
  planetscale: 'PlanetScale',
  hashicorp: 'HashiCorp (Terraform/Vault)',
  messagebird: 'MessageBird',
  crates: 'crates.io',
  hex: 'Hex.pm',
  teams: 'Microsoft Teams',
  azure: 'Azure',
  google: 'Google',
  okta: 'Okta',
  auth0: 'Auth0',
};

function providerName(ruleId: string): string {
  const key = ruleId.replace(/^secret-/, '');
  return PROVIDER_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** One rule per family, in catalog order, for SARIF and the README; plus committed `.env` files. */
export const SECRET_RULE_METADATA: readonly Rule[] = [
  ...[...new Set(SECRET_RULES.map((rule) => rule.ruleId))].map((id): Rule => ({
    id,
    severity: 'critical',
    category: 'secrets',
    title: `${providerName(id)} credential committed`,
    fix: REVOKE,
    ...FAMILY_OVERRIDES[id],
  })),
  {
    id: 'secret-env-file',
    severity: 'high',
    category: 'secrets',
    title: 'Environment file with secret values committed',
    fix: 'Remove the file from git (`git rm --cached`), add it to .gitignore, rotate the values, and commit a `.env.example` with placeholders.',
  },
];
