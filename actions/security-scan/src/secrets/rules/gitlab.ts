// GitLab: token prefixes from GitLab's "Token overview" documentation (docs.gitlab.com/security/tokens):
// glpat- personal/project/group, gldt- deploy, glrt- runner authentication, GR1348941 runner registration,
// glptt- pipeline trigger, glcbt- CI/CD job, glft- feed, glimt- incoming mail, glagent- cluster agent,
// glsoat- SCIM, gloas- OAuth application secret, glffct- feature flags client. Bodies are 20+ base64url.
import { ALNUM, BASE64URL, HEX } from '../fake.js';
import type { SecretRule } from '../types.js';
import { prefixedToken } from './shape.js';

const B64URL = 'A-Za-z0-9_-';

function gitlab(prefix: string, id: string, description: string, min = 20): SecretRule {
  return prefixedToken({
    id,
    ruleId: 'secret-gitlab',
    description,
    prefix,
    body: B64URL,
    alphabet: BASE64URL,
    length: [min, 300],
    minEntropy: 3,
  });
}

export const GITLAB_RULES: SecretRule[] = [
  gitlab('glpat-', 'gitlab-pat', 'GitLab personal, project or group access token'),
  gitlab('gldt-', 'gitlab-deploy-token', 'GitLab deploy token'),
  gitlab('glrt-', 'gitlab-runner-token', 'GitLab runner authentication token'),
  prefixedToken({
    id: 'gitlab-pipeline-trigger-token',
    ruleId: 'secret-gitlab',
    description: 'GitLab pipeline trigger token',
    prefix: 'glptt-',
    body: 'a-f0-9',
    alphabet: HEX,
    length: [20, 64],
    minEntropy: 3,
  }),
  gitlab('glcbt-', 'gitlab-ci-job-token', 'GitLab CI/CD job token'),
  gitlab('glft-', 'gitlab-feed-token', 'GitLab feed token'),
  gitlab('glimt-', 'gitlab-incoming-mail-token', 'GitLab incoming mail token', 25),
  gitlab('glagent-', 'gitlab-agent-token', 'GitLab agent for Kubernetes token', 40),
  gitlab('glsoat-', 'gitlab-scim-token', 'GitLab SCIM OAuth token'),
  gitlab('gloas-', 'gitlab-oauth-app-secret', 'GitLab OAuth application secret', 40),
  gitlab('glffct-', 'gitlab-feature-flags-token', 'GitLab feature flags client token'),
  prefixedToken({
    id: 'gitlab-runner-registration-token',
    ruleId: 'secret-gitlab',
    description: 'GitLab runner registration token (legacy)',
    prefix: 'GR1348941',
    body: B64URL,
    alphabet: ALNUM,
    length: 20,
    minEntropy: 3,
  }),
];
