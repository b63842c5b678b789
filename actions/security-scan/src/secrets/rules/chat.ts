// Chat: Slack tokens xoxb-/xoxp-/xoxa-/xoxr-/xoxe- and app-level xapp- (api.slack.com "Token types"),
// incoming webhooks hooks.slack.com/services/T.../B.../24 chars and workflow webhooks
// hooks.slack.com/workflows|triggers; Discord bot tokens base64(user id).6.27+ and webhooks
// discord.com/api/webhooks/<id>/<68> (Discord developer docs); Telegram bot tokens <bot id>:AA + 33
// (core.telegram.org/bots/api); Microsoft Teams incoming webhooks on webhook.office.com; Mattermost
// incoming hooks /hooks/<26>; Zulip and Gitter tokens by name.
import { ALNUM, BASE64URL, base64Of, DIGITS, LOWER_ALNUM, rand, UPPER_ALNUM, uuid } from '../fake.js';
import type { SecretRule } from '../types.js';

const slackBody = (): string => `${rand(DIGITS, 12)}-${rand(DIGITS, 13)}-${rand(ALNUM, 24)}`;

function slack(prefix: string, id: string, description: string): SecretRule {
  return {
    id,
    ruleId: 'secret-slack',
    description,
    keywords: [prefix],
    pattern: new RegExp(`\\b${prefix}(?:\\d+-){2,}[A-Za-z0-9]{10,}(?:-[A-Za-z0-9]+)*`, 'g'),
    minEntropy: 3,
    examples: () => ({
      positive: [
        `SLACK_TOKEN=${prefix}${slackBody()}`,
        `token: "${prefix}${rand(DIGITS, 11)}-${rand(DIGITS, 12)}-${rand(DIGITS, 13)}-${rand(ALNUM, 32)}"`,
      ],
      negative: [`${prefix}your-token-here`, `starts with ${prefix} then digits`],
    }),
  };
}

export const CHAT_RULES: SecretRule[] = [
  slack('xoxb-', 'slack-bot-token', 'Slack bot token'),
  slack('xoxp-', 'slack-user-token', 'Slack user token'),
  slack('xoxa-', 'slack-workspace-token', 'Slack workspace access token'),
  slack('xoxr-', 'slack-refresh-token', 'Slack refresh token'),
  slack('xoxs-', 'slack-session-token', 'Slack session token'),
  {
    id: 'slack-config-token',
    ruleId: 'secret-slack',
    description: 'Slack configuration (app manifest) token',
    keywords: ['xoxe.xox', 'xoxe-'],
    pattern: /\bxoxe(?:\.xox[bp])?-\d-[A-Za-z0-9]{140,170}/g,
    examples: () => ({
      positive: [
        `SLACK_CONFIG_TOKEN=xoxe.xoxp-1-${rand(ALNUM, 163)}`,
        `refresh: "xoxe-1-${rand(ALNUM, 146)}"`,
      ],
      negative: [`xoxe.xoxp-1-${rand(ALNUM, 20)}`, 'xoxe- tokens rotate every 12 hours'],
    }),
  },
  {
    id: 'slack-app-token',
    ruleId: 'secret-slack',
    description: 'Slack app-level token',
    keywords: ['xapp-'],
    pattern: /\bxapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{32,}/gi,
    examples: () => ({
      positive: [
        `SLACK_APP_TOKEN=xapp-1-A${rand(UPPER_ALNUM, 10)}-${rand(DIGITS, 13)}-${rand('0123456789abcdef', 64)}`,
        `appToken: 'xapp-1-A${rand(UPPER_ALNUM, 10)}-${rand(DIGITS, 13)}-${rand('0123456789abcdef', 64)}'`,
      ],
      negative: ['xapp-1-<app token>', `xapp-1-A${rand(UPPER_ALNUM, 10)}-${rand(DIGITS, 13)}-abc`],
    }),
  },
  {
    id: 'slack-webhook-url',
    ruleId: 'secret-slack',
    description: 'Slack incoming webhook URL',
    keywords: ['hooks.slack.com/'],
    pattern:
      /https?:\/\/hooks\.slack\.com\/(?:services\/[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{23,25}|(?:workflows|triggers)\/[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/\d+\/[A-Za-z0-9]{23,32})/g,
    examples: () => ({
      positive: [
        `SLACK_WEBHOOK=https://hooks.slack.com/services/T${rand(UPPER_ALNUM, 10)}/B${rand(UPPER_ALNUM, 10)}/${rand(ALNUM, 24)}`,
        `url: "https://hooks.slack.com/triggers/T${rand(UPPER_ALNUM, 8)}/${rand(UPPER_ALNUM, 11)}/${rand(DIGITS, 10)}/${rand(ALNUM, 32)}"`,
      ],
      negative: [
        'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        'See https://hooks.slack.com/services for setup',
      ],
    }),
  },
  {
    id: 'discord-bot-token',
    ruleId: 'secret-discord',
    description: 'Discord bot token',
    keywords: ['discord', 'bot '],
    pattern:
      /(?<![\w.-])(?<secret>[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![\w.-])/g,
    minEntropy: 3.5,
    check: (secret) =>
      /^\d{17,20}$/.test(Buffer.from(secret.split('.')[0]!, 'base64').toString('latin1')) ? 'ok' : 'reject',
    examples: () => ({
      positive: [
        `DISCORD_TOKEN=${base64Of(`9${rand(DIGITS, 17)}`).replace(/=+$/, '')}.${rand(BASE64URL, 6)}.${rand(BASE64URL, 38)}`,
        `client.login("${base64Of(`8${rand(DIGITS, 17)}`).replace(/=+$/, '')}.${rand(BASE64URL, 6)}.${rand(BASE64URL, 27)}") // discord`,
      ],
      negative: [
        `DISCORD_TOKEN=M${rand(ALNUM, 23)}.${rand(ALNUM, 6)}.${rand(ALNUM, 27)}`,
        `discord = "${rand(ALNUM, 24)}"`,
      ],
    }),
  },
  {
    id: 'discord-webhook-url',
    ruleId: 'secret-discord',
    description: 'Discord webhook URL',
    keywords: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    pattern:
      /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,68}/g,
    examples: () => ({
      positive: [
        `WEBHOOK=https://discord.com/api/webhooks/1${rand(DIGITS, 18)}/${rand(BASE64URL, 68)}`,
        `"https://discordapp.com/api/webhooks/1${rand(DIGITS, 17)}/${rand(BASE64URL, 68)}"`,
      ],
      negative: [
        'https://discord.com/api/webhooks/{id}/{token}',
        `https://discord.com/api/webhooks/1${rand(DIGITS, 17)}/short`,
      ],
    }),
  },
  {
    id: 'telegram-bot-token',
    ruleId: 'secret-telegram',
    description: 'Telegram bot token',
    keywords: [':AA'],
    exactCase: true,
    pattern: /(?<![\w:])(?<secret>\d{8,10}:AA[A-Za-z0-9_-]{33})(?![\w-])/g,
    window: { before: 12, after: 40 },
    minEntropy: 3.5,
    examples: () => ({
      positive: [
        `TELEGRAM_BOT_TOKEN=${rand(DIGITS, 10)}:AA${rand(BASE64URL, 33)}`,
        `bot = Bot("${rand(DIGITS, 9)}:AA${rand(ALNUM, 33)}")`,
      ],
      negative: [`${rand(DIGITS, 10)}:AA${rand(ALNUM, 10)}`, `time 12:AA ${rand(ALNUM, 33)}`],
    }),
  },
  {
    id: 'microsoft-teams-webhook-url',
    ruleId: 'secret-teams',
    description: 'Microsoft Teams incoming webhook URL',
    keywords: ['webhook.office.com/', 'logic.azure.com'],
    pattern:
      /https:\/\/(?:[\w-]+\.webhook\.office\.com\/webhookb2\/[a-f0-9-]{36}@[a-f0-9-]{36}\/IncomingWebhook\/[a-f0-9]{32}\/[a-f0-9-]{36}(?:\/[A-Za-z0-9_-]+)?|[\w.-]+\.logic\.azure\.com(?::443)?\/workflows\/[a-f0-9]{32}\/triggers\/manual\/paths\/invoke\?[^\s"']*sig=[A-Za-z0-9_-]{43})/g,
    examples: () => ({
      positive: [
        `TEAMS_WEBHOOK=https://acme.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${rand('0123456789abcdef', 32)}/${uuid()}`,
        `url: https://prod-01.westus.logic.azure.com:443/workflows/${rand('0123456789abcdef', 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=${rand(BASE64URL, 43)}`,
      ],
      negative: ['https://acme.webhook.office.com/webhookb2/<id>', 'https://outlook.office.com/'],
    }),
  },
  {
    id: 'mattermost-webhook-url',
    ruleId: 'secret-mattermost',
    description: 'Mattermost incoming webhook URL',
    keywords: ['mattermost'],
    pattern: /https?:\/\/[\w.-]*mattermost[\w.-]*\/hooks\/(?<secret>[a-z0-9]{26})(?![a-z0-9])/g,
    examples: () => ({
      positive: [
        `MATTERMOST_HOOK=https://mattermost.acme.io/hooks/${rand(LOWER_ALNUM, 26)}`,
        `url: "https://chat-mattermost.corp.io/hooks/${rand(LOWER_ALNUM, 26)}"`,
      ],
      negative: [
        'https://mattermost.acme.io/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx',
        'https://mattermost.acme.io/hooks/',
      ],
    }),
  },
];
