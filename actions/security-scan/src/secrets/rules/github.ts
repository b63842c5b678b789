// GitHub: token prefixes and checksum as documented in "Behind GitHub's new authentication token formats"
// (github.blog, 2021) and the fine-grained PAT announcement (2022): <prefix>_ + 30 random base62 + 6 base62
// CRC32 of the random part; fine-grained PATs are github_pat_ + 22 + _ + 59 characters.
import { ALNUM, HEX, join, rand, withChecksum } from '../fake.js';
import { crc32Base62Valid } from '../text.js';
import type { CheckResult, SecretRule } from '../types.js';

const checksum = (secret: string): CheckResult => (crc32Base62Valid(secret.slice(4)) ? 'ok' : 'bad-checksum');

function classic(prefix: string, id: string, description: string): SecretRule {
  return {
    id,
    ruleId: 'secret-github',
    description,
    keywords: [prefix],
    pattern: new RegExp(`\\b${prefix}[A-Za-z0-9]{36}\\b`, 'g'),
    check: checksum,
    examples: () => ({
      positive: [
        `GITHUB_TOKEN=${prefix}${withChecksum(36)}`,
        `"token": "${prefix}${withChecksum(36)}"`,
        `git clone https://x-access-token:${prefix}${withChecksum(36)}@github.com/o/r.git`,
      ],
      negative: [
        `token: ${prefix}${'x'.repeat(36)}`,
        `short = "${prefix}${rand(ALNUM, 20)}"`,
        `${prefix}${withChecksum(36)}extra`,
      ],
    }),
  };
}

export const GITHUB_RULES: SecretRule[] = [
  classic(join('gh', 'p_'), 'github-pat-classic', 'GitHub personal access token (classic)'),
  classic(join('gh', 'o_'), 'github-oauth-token', 'GitHub OAuth access token'),
  classic(join('gh', 'u_'), 'github-user-to-server-token', 'GitHub App user-to-server token'),
  classic(
    join('gh', 's_'),
    'github-server-to-server-token',
    'GitHub App installation (server-to-server) token',
  ),
  classic(join('gh', 'r_'), 'github-refresh-token', 'GitHub App refresh token'),
  {
    // github_pat_<22 alnum>_<59 alnum>; its checksum layout is not documented, so none is checked.
    id: 'github-fine-grained-pat',
    ruleId: 'secret-github',
    description: 'GitHub fine-grained personal access token',
    keywords: ['github_pat_'],
    pattern: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b/g,
    examples: () => ({
      positive: [
        `GH_TOKEN=${join('github', '_pat_')}${rand(ALNUM, 22)}_${rand(ALNUM, 59)}`,
        `token: '${join('github', '_pat_')}${rand(ALNUM, 22)}_${rand(ALNUM, 59)}'`,
      ],
      negative: [
        `${join('github', '_pat_')}${rand(ALNUM, 22)}_${rand(ALNUM, 30)}`,
        `prefix is ${join('github', '_pat_')} followed by 82 characters`,
      ],
    }),
  },
  {
    // OAuth App client secrets are 40 hex characters, recognisable only by their name.
    id: 'github-oauth-client-secret',
    ruleId: 'secret-github',
    description: 'GitHub OAuth App client secret',
    keywords: ['github'],
    pattern: /github[\w.-]{0,20}(?:client[_-]?)?secret["']?\s*[:=]\s*["']?(?<secret>[a-f0-9]{40})\b/gi,
    examples: () => ({
      positive: [`GITHUB_CLIENT_SECRET=${rand(HEX, 40)}`, `github_oauth_secret: "${rand(HEX, 40)}"`],
      negative: [`GITHUB_CLIENT_SECRET=${rand(HEX, 20)}`, `github_client_id: "${rand(HEX, 40)}"`],
    }),
  },
];
