// Azure: storage connection strings carry AccountKey= + 88 base64 (Azure Storage docs, "Configure a
// connection string"); Service Bus/Event Hubs/IoT Hub carry SharedAccessKey= + 44 base64; Cosmos DB
// AccountEndpoint=...;AccountKey=; App Configuration Endpoint=...;Id=...;Secret=; SAS URLs carry sv=
// and sig=; DevOps PATs are 52 base32 (legacy) or 84 characters with "AZDO" at offset 76 (Azure DevOps
// docs, 2024 format); Entra ID client secrets have "Q~" at offset 3 (Microsoft identity platform, 2021).
import { ALNUM, BASE64, HEX, LOWER_ALNUM, rand } from '../fake.js';
import type { SecretRule } from '../types.js';

/** Azurite's (the storage emulator's) key, published in Microsoft's docs: not a secret. */
const AZURITE_KEY_START = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq';

const base64Key = (length: number): string => `${rand(BASE64, length - 2)}==`;

export const AZURE_RULES: SecretRule[] = [
  {
    id: 'azure-storage-account-key',
    ruleId: 'secret-azure',
    description: 'Azure Storage account key (connection string)',
    keywords: ['accountkey='],
    pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/gi,
    check: (secret) => (secret.startsWith(AZURITE_KEY_START) ? 'reject' : 'ok'),
    examples: () => ({
      positive: [
        `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acme${rand(LOWER_ALNUM, 4)};AccountKey=${base64Key(88)};EndpointSuffix=core.windows.net"`,
        `"Storage": "AccountName=logs;AccountKey=${base64Key(88)}"`,
      ],
      negative: [
        `UseDevelopmentStorage=true;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY_START}/K1SZFPTOtr/KBHBeksoGMGw==`,
        'AccountName=acme;AccountKey=<account-key>;EndpointSuffix=core.windows.net',
      ],
    }),
  },
  {
    id: 'azure-cosmosdb-key',
    ruleId: 'secret-azure',
    description: 'Azure Cosmos DB account key',
    keywords: ['documents.azure.com'],
    pattern:
      /AccountEndpoint=https:\/\/[\w-]+\.documents\.azure\.com[^;]*;\s*AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/gi,
    examples: () => ({
      positive: [
        `COSMOS="AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=${base64Key(88)};"`,
        `AccountEndpoint=https://x${rand(LOWER_ALNUM, 5)}.documents.azure.com:443/;AccountKey=${base64Key(88)}`,
      ],
      negative: [
        'AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=${COSMOS_KEY}',
        'https://acme.documents.azure.com:443/',
      ],
    }),
  },
  {
    id: 'azure-shared-access-key',
    ruleId: 'secret-azure',
    description: 'Azure Service Bus / Event Hubs / IoT Hub shared access key',
    keywords: ['sharedaccesskey='],
    pattern: /SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)/gi,
    examples: () => ({
      positive: [
        `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${rand(BASE64, 43)}=`,
        `HostName=hub.azure-devices.net;DeviceId=d1;SharedAccessKey=${rand(BASE64, 43)}=`,
      ],
      negative: [
        'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=<key>',
        `SharedAccessKey=${rand(BASE64, 20)}=`,
      ],
    }),
  },
  {
    id: 'azure-app-configuration-secret',
    ruleId: 'secret-azure',
    description: 'Azure App Configuration connection string secret',
    keywords: ['.azconfig.io'],
    pattern: /Endpoint=https:\/\/[\w-]+\.azconfig\.io;Id=[\w+/=:-]+;Secret=(?<secret>[A-Za-z0-9+/]{40,}=?)/gi,
    examples: () => ({
      positive: [
        `Endpoint=https://acme.azconfig.io;Id=${rand(ALNUM, 4)}-l1-s0:${rand(ALNUM, 20)};Secret=${rand(BASE64, 43)}=`,
        `"AppConfig": "Endpoint=https://cfg.azconfig.io;Id=abc;Secret=${rand(BASE64, 44)}"`,
      ],
      negative: ['Endpoint=https://acme.azconfig.io;Id=abc;Secret=${SECRET}', 'https://acme.azconfig.io'],
    }),
  },
  {
    id: 'azure-sas-token',
    ruleId: 'secret-azure',
    description: 'Azure shared access signature (SAS) URL',
    keywords: ['sig='],
    pattern: /[?&]sv=\d{4}-\d{2}-\d{2}&[^\s"'<>]*?\bsig=(?<secret>[A-Za-z0-9%+/]{40,}(?:%3D|=){0,2})/gi,
    window: { before: 600, after: 200 },
    examples: () => ({
      positive: [
        `https://acme.blob.core.windows.net/c/f.zip?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=${rand(ALNUM, 43)}%3D`,
        `?sv=2021-08-06&st=2024-01-01&se=2031-01-01&sr=c&sp=r&sig=${rand(ALNUM, 44)}`,
      ],
      negative: ['?sv=2022-11-02&sig=<signature>', `https://example.org/?sig=${rand(ALNUM, 44)}`],
    }),
  },
  {
    id: 'azure-devops-pat',
    ruleId: 'secret-azure',
    description: 'Azure DevOps personal access token',
    keywords: ['AZDO'],
    exactCase: true,
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}(?![A-Za-z0-9])/g,
    window: { before: 80, after: 10 },
    examples: () => ({
      positive: [
        `AZURE_DEVOPS_PAT=${rand(ALNUM, 76)}AZDO${rand(ALNUM, 4)}`,
        `token: "${rand(ALNUM, 76)}AZDO${rand(ALNUM, 4)}"`,
      ],
      negative: [`${rand(ALNUM, 50)}AZDO${rand(ALNUM, 4)}`, `${rand(ALNUM, 76)}AZDX${rand(ALNUM, 4)}`],
    }),
  },
  {
    id: 'azure-devops-pat-legacy',
    ruleId: 'secret-azure',
    description: 'Azure DevOps personal access token (52 characters, next to a DevOps name)',
    keywords: ['devops', 'azure_pat', 'ado_pat', 'vsts', 'dev.azure.com', 'system_accesstoken'],
    // The keyword on the same line is the context; the token itself is 52 lowercase base32 characters.
    pattern: /(?<![A-Za-z0-9])[a-z2-7]{52}(?![A-Za-z0-9])/g,
    minEntropy: 3.8,
    check: (secret) => (/^[a-z2-7]+$/.test(secret) ? 'ok' : 'reject'),
    examples: () => ({
      positive: [
        `AZURE_DEVOPS_TOKEN=${rand('abcdefghijklmnopqrstuvwxyz234567', 52)}`,
        `git clone https://pat:${rand('abcdefghijklmnopqrstuvwxyz234567', 52)}@dev.azure.com/org/p/_git/r`,
      ],
      negative: [
        `AZURE_DEVOPS_TOKEN=${rand('abcdefghijklmnopqrstuvwxyz234567', 30)}`,
        `devops_id = ${rand(HEX, 52)}`,
      ],
    }),
  },
  {
    id: 'azure-ad-client-secret',
    ruleId: 'secret-azure',
    description: 'Microsoft Entra ID (Azure AD) application client secret',
    keywords: ['Q~'],
    exactCase: true,
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    window: { before: 10, after: 50 },
    minEntropy: 3.5,
    examples: () => ({
      positive: [
        `AZURE_CLIENT_SECRET=${rand(ALNUM, 3)}8Q~${rand(ALNUM, 34)}`,
        `"clientSecret": "${rand(ALNUM, 3)}7Q~${rand(ALNUM, 31)}"`,
      ],
      negative: [
        `AZURE_CLIENT_SECRET=${rand(ALNUM, 3)}8Q~${rand(ALNUM, 10)}`,
        'home dir is ~ and Q~ is a key',
      ],
    }),
  },
  {
    id: 'azure-openai-key',
    ruleId: 'secret-azure',
    description: 'Azure OpenAI / Cognitive Services key',
    keywords: ['azure_openai', 'azure-openai', 'azureopenai', 'cognitive', 'ocp-apim-subscription-key'],
    pattern:
      /(?:azure[_-]?openai|cognitive[\w-]*|ocp-apim-subscription)[\w-]*key["']?\s*[:=]\s*["']?(?<secret>[a-f0-9]{32}|[A-Za-z0-9]{84})(?![A-Za-z0-9])/gi,
    minEntropy: 3,
    examples: () => ({
      positive: [`AZURE_OPENAI_API_KEY=${rand(HEX, 32)}`, `"Ocp-Apim-Subscription-Key": "${rand(HEX, 32)}"`],
      negative: [`AZURE_OPENAI_API_KEY=${rand(HEX, 16)}`, 'AZURE_OPENAI_API_KEY=${{ secrets.KEY }}'],
    }),
  },
];
