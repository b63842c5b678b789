import { isDockerfile, scanDockerfiles } from '../../../actions/security-scan/src/scanners/dockerfile.js';

/** Rule ids (with line) found in a Dockerfile; a hardened tail is appended unless `bare`. */
function rules(text: string): string[] {
  return scanDockerfiles([{ path: 'Dockerfile', text }]).map(
    (finding) => `${finding.ruleId}:${finding.line}`,
  );
}

const HARDENED_TAIL = 'USER node\nHEALTHCHECK CMD ["node", "hc.js"]\n';

describe('Dockerfile scanner', () => {
  it('recognises Dockerfile names', () => {
    expect(
      ['Dockerfile', 'app/Dockerfile.prod', 'Containerfile', 'x/api.dockerfile'].every(isDockerfile),
    ).toBe(true);
    expect(['Dockerfile.md', 'docs/dockerfile-guide.txt', 'MyDockerfile'].filter(isDockerfile)).toEqual([
      'Dockerfile.md',
    ]);
  });

  it('ignores files that are not Dockerfiles', () => {
    expect(scanDockerfiles([{ path: 'README.md', text: 'FROM node:latest\n' }])).toEqual([]);
  });

  describe('docker-root-user', () => {
    it('flags a final stage with no USER, or USER root / 0', () => {
      expect(rules('FROM node:24\nHEALTHCHECK CMD true\n')).toEqual(['docker-root-user:1']);
      expect(rules('FROM node:24\nUSER node\nUSER root\nHEALTHCHECK CMD true\n')).toEqual([
        'docker-root-user:3',
      ]);
      expect(rules('FROM node:24\nUSER 0:0\nHEALTHCHECK CMD true\n')).toEqual(['docker-root-user:2']);
    });
    it('reads every spelling of uid 0 as root: 000, 0:0, 00:1000, ROOT', () => {
      for (const user of ['000', '0:0', '00:1000', 'ROOT', 'root:staff'])
        expect(rules(`FROM node:24\nUSER ${user}\nHEALTHCHECK CMD true\n`)).toEqual(['docker-root-user:2']);
      for (const user of ['1000', '10:0', 'node:root', '1000:1000'])
        expect(rules(`FROM node:24\nUSER ${user}\nHEALTHCHECK CMD true\n`)).toEqual([]);
    });
    it('accepts a final FROM scratch stage without USER (no user database to pick from), not USER 0 there', () => {
      expect(
        rules('FROM golang:1.24 AS b\nRUN go build\nFROM scratch\nHEALTHCHECK CMD ["/app", "-h"]\n'),
      ).toEqual([]);
      expect(rules('FROM scratch\nUSER 0\nHEALTHCHECK CMD ["/app", "-h"]\n')).toEqual(['docker-root-user:2']);
      expect(rules('FROM scratch AS base\nFROM node:24\nHEALTHCHECK CMD true\n')).toEqual([
        'docker-root-user:2',
      ]);
    });
    it('accepts a non-root user, one inherited from an earlier stage, or a nonroot base', () => {
      expect(rules(`FROM node:24\n${HARDENED_TAIL}`)).toEqual([]);
      expect(rules('FROM node:24 AS base\nUSER node\nFROM base\nHEALTHCHECK CMD true\n')).toEqual([]);
      expect(rules('FROM gcr.io/distroless/nodejs24-debian12:nonroot\nHEALTHCHECK CMD true\n')).toEqual([]);
    });
    it('only judges the final stage', () => {
      expect(rules(`FROM node:24 AS build\nRUN npm ci\nFROM node:24-slim\n${HARDENED_TAIL}`)).toEqual([]);
    });
  });

  describe('docker-unpinned-base', () => {
    it('flags :latest and untagged images', () => {
      expect(rules(`FROM node:latest\n${HARDENED_TAIL}`)).toEqual(['docker-unpinned-base:1']);
      expect(rules(`FROM registry.example.com:5000/team/node\n${HARDENED_TAIL}`)).toEqual([
        'docker-unpinned-base:1',
      ]);
    });
    it('accepts tags, digests, scratch, earlier stages and ARG-templated images', () => {
      expect(rules(`FROM node:24.1-slim\n${HARDENED_TAIL}`)).toEqual([]);
      expect(rules(`FROM node@sha256:${'a'.repeat(64)}\n${HARDENED_TAIL}`)).toEqual([]);
      expect(rules(`FROM node:24 AS build\nFROM build\n${HARDENED_TAIL}`)).toEqual([]);
      expect(rules(`ARG BASE=node:24\nFROM \${BASE}\n${HARDENED_TAIL}`)).toEqual([]);
      expect(rules('FROM scratch\nUSER 1000\nHEALTHCHECK CMD ["/app", "--check"]\n')).toEqual([]);
    });
  });

  describe('docker-add-remote', () => {
    it('flags ADD of a URL without a checksum', () => {
      expect(rules(`FROM node:24\nADD https://example.com/a.tgz /opt/\n${HARDENED_TAIL}`)).toEqual([
        'docker-add-remote:2',
      ]);
    });
    it('accepts local ADD, COPY, and ADD --checksum', () => {
      expect(rules(`FROM node:24\nADD app.tgz /opt/\nCOPY src/ /app\n${HARDENED_TAIL}`)).toEqual([]);
      expect(
        rules(
          `FROM node:24\nADD --checksum=sha256:${'b'.repeat(64)} https://example.com/a.tgz /opt/\n${HARDENED_TAIL}`,
        ),
      ).toEqual([]);
    });
  });

  describe('docker-secret-in-env', () => {
    it('flags secret-looking ENV (high) and ARG (high with a value, medium without)', () => {
      const findings = scanDockerfiles([
        {
          path: 'Dockerfile',
          text: `FROM node:24\nENV API_KEY=abc\nARG GITHUB_TOKEN\nARG DB_PASSWORD=x\n${HARDENED_TAIL}`,
        },
      ]);
      expect(findings.map((finding) => `${finding.line}:${finding.severity}`)).toEqual([
        '2:high',
        '3:medium',
        '4:high',
      ]);
      expect(findings[0]!.message).not.toContain('abc');
    });
    it('accepts names that only point at secrets, and ordinary names', () => {
      expect(
        rules(
          `FROM node:24\nENV DB_PASSWORD_FILE=/run/secrets/db TOKEN_URL=https://x NODE_ENV=production\nARG VERSION\n${HARDENED_TAIL}`,
        ),
      ).toEqual([]);
    });
  });

  describe('RUN rules', () => {
    it('flags curl/wget piped into a shell or interpreter', () => {
      expect(rules(`FROM node:24\nRUN curl -fsSL https://x.sh | sh\n${HARDENED_TAIL}`)).toEqual([
        'docker-curl-pipe-shell:2',
      ]);
      expect(rules(`FROM node:24\nRUN wget -qO- https://x | sudo bash -\n${HARDENED_TAIL}`)).toEqual([
        'docker-curl-pipe-shell:2',
        'docker-sudo:2',
      ]);
      expect(rules(`FROM node:24\nRUN curl https://x.py | python3\n${HARDENED_TAIL}`)).toEqual([
        'docker-curl-pipe-shell:2',
      ]);
    });
    it('accepts a download to a file that is then verified', () => {
      expect(
        rules(
          `FROM node:24\nRUN curl -fsSLo x.sh https://x.sh && sha256sum -c x.sha && sh x.sh\n${HARDENED_TAIL}`,
        ),
      ).toEqual([]);
    });
    it('reads the exec form: ["sudo", ...], ["sh", "-c", "curl ... | sh"], exec-form apt-get', () => {
      expect(rules(`FROM node:24\nRUN ["sudo", "chown", "node", "/app"]\n${HARDENED_TAIL}`)).toEqual([
        'docker-sudo:2',
      ]);
      expect(
        rules(`FROM node:24\nRUN ["/bin/sh", "-c", "curl -fsSL https://x.sh | bash"]\n${HARDENED_TAIL}`),
      ).toEqual(['docker-curl-pipe-shell:2']);
      expect(rules(`FROM node:24\nRUN ["apt-get", "install", "-y", "curl"]\n${HARDENED_TAIL}`)).toEqual([
        'docker-apt-recommends:2',
        'docker-apt-cleanup:2',
      ]);
      expect(rules(`FROM node:24\nRUN ["echo", "sudo is not run here"]\n${HARDENED_TAIL}`)).toEqual([]);
      expect(rules(`FROM node:24\nRUN ["node", "build.js"]\n${HARDENED_TAIL}`)).toEqual([]);
    });
    it('reads COPY and ADD in the exec form', () => {
      expect(rules(`FROM node:24\nADD ["https://example.com/a.tgz", "/opt/"]\n${HARDENED_TAIL}`)).toEqual([
        'docker-add-remote:2',
      ]);
      expect(rules(`FROM node:24\nCOPY ["./", "/app"]\n${HARDENED_TAIL}`)).toEqual([
        'docker-no-dockerignore:2',
      ]);
      expect(rules(`FROM node:24\nCOPY ["src", "/app/src"]\n${HARDENED_TAIL}`)).toEqual([]);
    });
    it('flags sudo but not words containing it', () => {
      expect(rules(`FROM node:24\nRUN sudo apt-get update\n${HARDENED_TAIL}`)).toEqual(['docker-sudo:2']);
      expect(rules(`FROM node:24\nRUN echo pseudo-random > /tmp/sudoers.txt\n${HARDENED_TAIL}`)).toEqual([]);
    });
    it('flags apt-get install without --no-install-recommends and without list cleanup (low)', () => {
      const findings = scanDockerfiles([
        {
          path: 'Dockerfile',
          text: `FROM node:24\nRUN apt-get update && \\\n  apt-get install -y curl\n${HARDENED_TAIL}`,
        },
      ]);
      expect(findings.map((finding) => `${finding.ruleId}:${finding.line}:${finding.severity}`)).toEqual([
        'docker-apt-recommends:2:low',
        'docker-apt-cleanup:2:low',
      ]);
    });
    it('counts apt-get clean as cleanup, not the cache clean of another tool', () => {
      expect(
        rules(
          `FROM node:24\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean\n${HARDENED_TAIL}`,
        ),
      ).toEqual([]);
      expect(
        rules(
          `FROM node:24\nRUN apt-get install -y --no-install-recommends curl && npm cache clean --force\n${HARDENED_TAIL}`,
        ),
      ).toEqual(['docker-apt-cleanup:2']);
    });
    it('accepts a clean apt-get install, or one with a BuildKit cache mount for the lists', () => {
      expect(
        rules(
          `FROM node:24\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n${HARDENED_TAIL}`,
        ),
      ).toEqual([]);
      expect(
        rules(
          `FROM node:24\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl\n${HARDENED_TAIL}`,
        ),
      ).toEqual([]);
    });
  });

  describe('docker-no-dockerignore', () => {
    const dockerfile = `FROM node:24\nCOPY . .\nCOPY . /again\n${HARDENED_TAIL}`;
    it('flags COPY of the whole context once when no .dockerignore sits beside the Dockerfile', () => {
      const findings = scanDockerfiles([
        { path: 'app/Dockerfile', text: dockerfile },
        { path: '.dockerignore', text: '' },
      ]);
      expect(findings.map((finding) => `${finding.ruleId}:${finding.line}:${finding.severity}`)).toEqual([
        'docker-no-dockerignore:2:low',
      ]);
    });
    it('accepts a .dockerignore (or Dockerfile.dockerignore), COPY of sub-paths, and COPY --from', () => {
      expect(
        scanDockerfiles([
          { path: 'app/Dockerfile', text: dockerfile },
          { path: 'app/.dockerignore', text: '.git' },
        ]),
      ).toEqual([]);
      expect(
        scanDockerfiles([
          { path: 'Dockerfile', text: dockerfile },
          { path: 'Dockerfile.dockerignore', text: '.git' },
        ]),
      ).toEqual([]);
      expect(
        rules(`FROM node:24 AS b\nFROM node:24\nCOPY --from=b . .\nCOPY src ./src\n${HARDENED_TAIL}`),
      ).toEqual([]);
    });
  });

  describe('docker-no-healthcheck', () => {
    it('flags a final stage without HEALTHCHECK, at its FROM line', () => {
      expect(rules('FROM node:24 AS build\nHEALTHCHECK CMD true\nFROM node:24-slim\nUSER node\n')).toEqual([
        'docker-no-healthcheck:3',
      ]);
    });
  });

  it('reports nothing for an empty file or comments only', () => {
    expect(rules('')).toEqual([]);
    expect(rules('# just a comment\n')).toEqual([]);
  });
});
