// Package registries: npm tokens npm_ + 30 random + 6 base62 CRC32 (github.blog, "npm access tokens");
// legacy npm tokens are UUIDs after _authToken= in .npmrc; PyPI API tokens are macaroons "pypi-" +
// base64 of a header naming pypi.org ("pypi-AgEIcHlwaS5vcmc", docs.pypi.org "API tokens"), test.pypi.org
// "pypi-AgENdGVzdC5weXBpLm9yZw"; RubyGems rubygems_ + 48 hex; NuGet oy2 + 43; Docker Hub dckr_pat_/dckr_oat_;
// JFrog API keys AKCp + 69 and reference tokens cmVmdGtu; crates.io cio + 32; Clojars CLOJARS_ + 60;
// Packagist packagist_uut_/ort_; Hex hex_ keys by name; Cloudsmith by name.
import { ALNUM, BASE64, BASE64URL, HEX, LOWER_ALNUM, rand, uuid, withChecksum } from '../fake.js';
import { crc32Base62Valid } from '../text.js';
import type { SecretRule } from '../types.js';
import { named, prefixedToken } from './shape.js';

export const REGISTRY_RULES: SecretRule[] = [
  prefixedToken({
    id: 'npm-access-token',
    ruleId: 'secret-npm',
    description: 'npm access token',
    prefix: 'npm_',
    body: 'A-Za-z0-9',
    alphabet: ALNUM,
    length: 36,
    makeBody: () => withChecksum(36),
    check: (secret) => (crc32Base62Valid(secret.slice(4)) ? 'ok' : 'bad-checksum'),
  }),
  {
    id: 'npm-legacy-auth-token',
    ruleId: 'secret-npm',
    description: 'npm legacy auth token in .npmrc',
    keywords: ['_authtoken'],
    pattern:
      /_authToken\s*=\s*["']?(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9+/=_-]{36,})/gi,
    check: (secret) => (secret.startsWith('npm_') ? 'reject' : 'ok'),
    examples: () => ({
      positive: [
        `//registry.npmjs.org/:_authToken=${uuid()}`,
        `//npm.acme.io/:_authToken="${rand(BASE64, 48)}"`,
      ],
      negative: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}', '//registry.npmjs.org/:_authToken=<token>'],
    }),
  },
  {
    id: 'pypi-token',
    ruleId: 'secret-pypi',
    description: 'PyPI API token',
    keywords: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'],
    pattern: /\bpypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}/g,
    minEntropy: 4,
    examples: () => ({
      positive: [
        `TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc${rand(BASE64URL, 160)}`,
        `password = pypi-AgENdGVzdC5weXBpLm9yZw${rand(BASE64URL, 120)}`,
      ],
      negative: ['the pypi token prefix is pypi-AgEIcHlwaS5vcmc', `pypi-AgEIcHlwaS5vcmc${rand(ALNUM, 10)}`],
    }),
  },
  prefixedToken({
    id: 'rubygems-api-key',
    ruleId: 'secret-rubygems',
    description: 'RubyGems API key',
    prefix: 'rubygems_',
    body: 'a-f0-9',
    alphabet: HEX,
    length: 48,
  }),
  prefixedToken({
    id: 'nuget-api-key',
    ruleId: 'secret-nuget',
    description: 'NuGet API key',
    prefix: 'oy2',
    body: 'a-z0-9',
    alphabet: LOWER_ALNUM,
    length: 43,
    minEntropy: 3.5,
  }),
  prefixedToken({
    id: 'dockerhub-pat',
    ruleId: 'secret-dockerhub',
    description: 'Docker Hub personal access token',
    prefix: 'dckr_pat_',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: 27,
  }),
  prefixedToken({
    id: 'dockerhub-oat',
    ruleId: 'secret-dockerhub',
    description: 'Docker Hub organization access token',
    prefix: 'dckr_oat_',
    body: 'A-Za-z0-9_-',
    alphabet: BASE64URL,
    length: 32,
  }),
  {
    id: 'docker-config-auth',
    ruleId: 'secret-dockerhub',
    description: 'Docker config.json registry credentials (base64 user:password)',
    keywords: ['"auth"'],
    pattern: /"auths"\s*:\s*\{[\s\S]{0,400}?"auth"\s*:\s*"(?<secret>[A-Za-z0-9+/]{12,}={0,2})"/g,
    window: { before: 600, after: 400, multiline: true },
    check: (secret) =>
      /^[^:\s]{1,100}:\S{6,}$/.test(Buffer.from(secret, 'base64').toString('utf8')) ? 'ok' : 'reject',
    examples: () => ({
      positive: [
        `{"auths": {"https://index.docker.io/v1/": {"auth": "${Buffer.from(`ci-bot:${rand(ALNUM, 20)}`).toString('base64')}"}}}`,
        `{\n  "auths": {\n    "ghcr.io": {\n      "auth": "${Buffer.from(`octo:${rand(ALNUM, 36)}`).toString('base64')}"\n    }\n  }\n}`,
      ],
      negative: [
        '{"auths": {"ghcr.io": {"auth": ""}}}',
        `{"auths": {"x": {"auth": "${Buffer.from('no-colon-here').toString('base64')}"}}}`,
      ],
    }),
  },
  prefixedToken({
    id: 'jfrog-api-key',
    ruleId: 'secret-jfrog',
    description: 'JFrog Artifactory API key',
    prefix: 'AKCp',
    body: 'A-Za-z0-9',
    alphabet: ALNUM,
    length: 69,
    minEntropy: 4,
  }),
  prefixedToken({
    id: 'jfrog-reference-token',
    ruleId: 'secret-jfrog',
    description: 'JFrog reference token',
    prefix: 'cmVmdGtuOjAxOj',
    body: 'A-Za-z0-9',
    alphabet: ALNUM,
    length: [50, 64],
    minEntropy: 4,
  }),
  prefixedToken({
    id: 'crates-io-token',
    ruleId: 'secret-crates',
    description: 'crates.io API token',
    prefix: 'cio',
    body: 'a-zA-Z0-9',
    alphabet: ALNUM,
    length: 32,
    minEntropy: 4,
  }),
  prefixedToken({
    id: 'clojars-token',
    ruleId: 'secret-clojars',
    description: 'Clojars deploy token',
    prefix: 'CLOJARS_',
    body: 'a-z0-9',
    alphabet: LOWER_ALNUM,
    length: 60,
  }),
  prefixedToken({
    id: 'packagist-token',
    ruleId: 'secret-packagist',
    description: 'Packagist user or organization token',
    prefix: 'packagist_',
    body: 'a-z0-9_',
    alphabet: LOWER_ALNUM,
    length: [60, 80],
  }),
  named({
    id: 'hex-api-key',
    ruleId: 'secret-hex',
    description: 'Hex.pm API key',
    keywords: ['hex_api', 'hex-api', 'hexpm'],
    name: 'hex(?:pm)?[_-]?api[_-]?key',
    value: '[a-f0-9]{32}',
    make: () => rand(HEX, 32),
    sample: 'HEX_API_KEY',
  }),
  named({
    id: 'cloudsmith-api-key',
    ruleId: 'secret-cloudsmith',
    description: 'Cloudsmith API key',
    keywords: ['cloudsmith'],
    name: 'cloudsmith[\\w-]*(?:api[_-]?)?key',
    value: '[a-f0-9]{40}',
    make: () => rand(HEX, 40),
    sample: 'CLOUDSMITH_API_KEY',
  }),
  {
    id: 'maven-settings-password',
    ruleId: 'secret-maven',
    description: 'Maven settings.xml server password',
    keywords: ['<password>'],
    pattern: /<server>[\s\S]{0,400}?<password>(?<secret>(?!\$\{|\{)[^<\s]{8,200})<\/password>/g,
    window: { before: 500, after: 300, multiline: true },
    minEntropy: 3,
    examples: () => ({
      positive: [
        `<server>\n  <id>releases</id>\n  <username>ci</username>\n  <password>${rand(ALNUM, 16)}</password>\n</server>`,
        `<servers><server><id>x</id><password>${rand(BASE64, 24)}</password></server></servers>`,
      ],
      negative: [
        '<server><id>x</id><password>${env.MAVEN_PASSWORD}</password></server>',
        `<password>${rand(ALNUM, 16)}</password> outside a server block`,
      ],
    }),
  },
];
