import type { Rule } from '../rules.js';

/** Dockerfile rules (hadolint/Trivy-style image hygiene); supply-chain and secret rules carry their CICD-SEC id. */
export const DOCKERFILE_RULES: readonly Rule[] = [
  {
    id: 'docker-root-user',
    severity: 'high',
    category: 'dockerfile',
    title: 'Container runs as root',
    fix: 'Add `USER <non-root>` (e.g. `USER node`) after the last step that needs root in the final stage.',
  },
  {
    id: 'docker-unpinned-base',
    owasp: 'CICD-SEC-3',
    severity: 'medium',
    category: 'dockerfile',
    title: 'Base image is `:latest` or untagged',
    fix: 'Pin the base image to a version tag, ideally with a digest (`image:1.2@sha256:...`).',
  },
  {
    id: 'docker-add-remote',
    owasp: 'CICD-SEC-9',
    severity: 'medium',
    category: 'dockerfile',
    title: '`ADD` of a remote URL',
    fix: 'Download with `RUN curl -fsSLo` and verify a checksum, or use `ADD --checksum=sha256:...`.',
  },
  {
    id: 'docker-secret-in-env',
    owasp: 'CICD-SEC-6',
    severity: 'high',
    category: 'dockerfile',
    title: 'Secret-looking name in `ENV`/`ARG`',
    fix: 'Pass secrets with `RUN --mount=type=secret` or at run time (ECS secrets), never ENV/ARG: both stay in the image history.',
  },
  {
    id: 'docker-curl-pipe-shell',
    owasp: 'CICD-SEC-3',
    severity: 'high',
    category: 'dockerfile',
    title: 'Remote script piped into a shell',
    fix: 'Download the script to a file, verify its checksum or signature, then run it.',
  },
  {
    id: 'docker-sudo',
    severity: 'medium',
    category: 'dockerfile',
    title: '`sudo` in a build step',
    fix: 'Build steps already run as the current USER; switch with `USER root` ... `USER app` instead of sudo.',
  },
  {
    id: 'docker-apt-recommends',
    severity: 'low',
    category: 'dockerfile',
    title: '`apt-get install` without `--no-install-recommends`',
    fix: 'Add `--no-install-recommends` to keep optional packages (and their CVEs) out of the image.',
  },
  {
    id: 'docker-apt-cleanup',
    severity: 'low',
    category: 'dockerfile',
    title: '`apt-get install` without removing package lists',
    fix: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*`.',
  },
  {
    id: 'docker-no-dockerignore',
    severity: 'low',
    category: 'dockerfile',
    title: '`COPY .` without a .dockerignore',
    fix: 'Add a .dockerignore next to the Dockerfile excluding .git, .env*, node_modules and secrets.',
  },
  {
    id: 'docker-no-healthcheck',
    severity: 'low',
    category: 'dockerfile',
    title: 'No `HEALTHCHECK` in the final stage',
    fix: 'Add `HEALTHCHECK CMD ...` or define healthCheck in the ECS task definition.',
  },
];
