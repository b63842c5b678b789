import { scanWorkflows } from '../../../actions/security-scan/src/scanners/workflows.js';

const SHA = 'e468171a9de216ec08956ac3ada2f0791b6bd435';

/** `line:severity` of the findings of one rule in a workflow. */
function found(ruleId: string, yaml: string, path = '.github/workflows/w.yml'): string[] {
  return scanWorkflows([{ path, text: yaml }])
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => `${finding.line}:${finding.severity}`);
}

/** A workflow with one job whose steps are `steps` (each line indented by the caller as a list item). */
function job(on: string, steps: string, jobExtra = ''): string {
  return `on: ${on}\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n${steps}`;
}

describe('gha-dangerous-trigger', () => {
  it('flags pull_request_target and workflow_run however on: is written, at the trigger', () => {
    expect(found('gha-dangerous-trigger', job('pull_request_target', '      - run: echo\n'))).toEqual([
      '1:medium',
    ]);
    expect(found('gha-dangerous-trigger', job('[push, workflow_run]', '      - run: echo\n'))).toEqual([
      '1:medium',
    ]);
    const map = 'on:\n  push:\n  workflow_run:\n    workflows: [ci]\npermissions: {}\njobs: {}\n';
    expect(found('gha-dangerous-trigger', map)).toEqual(['3:medium']);
  });
  it('accepts pull_request, push and issue_comment on their own', () => {
    expect(
      found('gha-dangerous-trigger', job('[pull_request, push, issue_comment]', '      - run: echo\n')),
    ).toEqual([]);
  });
});

describe('gha-insecure-commands', () => {
  it('flags ACTIONS_ALLOW_UNSECURE_COMMANDS set true in env at any level or through GITHUB_ENV', () => {
    const yaml = `on: push\npermissions: {}\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'\n        run: echo "ACTIONS_ALLOW_UNSECURE_COMMANDS=true" >> $GITHUB_ENV\n`;
    expect(found('gha-insecure-commands', yaml)).toEqual(['4:high', '10:high', '11:high']);
  });
  it('accepts it set to false, and the name merely echoed', () => {
    const yaml = job(
      'push',
      '      - env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: false\n        run: echo ACTIONS_ALLOW_UNSECURE_COMMANDS=true\n',
    );
    expect(found('gha-insecure-commands', yaml)).toEqual([]);
  });
});

describe('gha-unpinned-image', () => {
  it('flags container and service images with no tag or :latest', () => {
    const extra =
      '    container: node\n    services:\n      db:\n        image: postgres:latest\n      cache:\n        image: ghcr.io/org/redis\n';
    expect(found('gha-unpinned-image', job('push', '      - run: echo\n', extra))).toEqual([
      '6:medium',
      '9:medium',
      '11:medium',
    ]);
  });
  it('flags docker:// step images the same way', () => {
    const steps =
      '      - uses: docker://alpine\n      - uses: docker://ghcr.io/org/tool:latest\n      - uses: docker://alpine:3.20\n';
    expect(found('gha-unpinned-image', job('push', steps))).toEqual(['7:medium', '8:medium']);
  });
  it('accepts version tags, digests, registry ports and expressions', () => {
    const extra = `    container:\n      image: node:24-slim\n    services:\n      db:\n        image: postgres@sha256:${'a'.repeat(64)}\n      reg:\n        image: localhost:5000/x:1.2\n      m:\n        image: \${{ matrix.image }}\n`;
    expect(found('gha-unpinned-image', job('push', '      - run: echo\n', extra))).toEqual([]);
  });
});

describe('gha-hardcoded-container-credentials', () => {
  const extra = (password: string): string =>
    `    container:\n      image: ghcr.io/org/app:1\n      credentials:\n        username: bot\n        password: ${password}\n    services:\n      db:\n        image: ghcr.io/org/db:1\n        credentials:\n          username: bot\n          password: ${password}\n`;
  it('flags a literal registry password on the container or a service, without echoing it', () => {
    const yaml = job('push', '      - run: echo\n', extra('hunter2'));
    expect(found('gha-hardcoded-container-credentials', yaml)).toEqual(['10:high', '16:high']);
    expect(JSON.stringify(scanWorkflows([{ path: '.github/workflows/w.yml', text: yaml }]))).not.toContain(
      'hunter2',
    );
  });
  it('accepts passwords read from secrets', () => {
    expect(
      found(
        'gha-hardcoded-container-credentials',
        job('push', '      - run: echo\n', extra('${{ secrets.PW }}')),
      ),
    ).toEqual([]);
  });
});

describe('gha-spoofable-bot-check', () => {
  it('flags github.actor compared to a bot (high under privileged triggers, medium otherwise)', () => {
    const steps = "      - if: github.actor == 'dependabot[bot]'\n        run: gh pr merge --auto\n";
    expect(found('gha-spoofable-bot-check', job('pull_request_target', steps))).toEqual(['7:high']);
    expect(found('gha-spoofable-bot-check', job('pull_request', steps))).toEqual(['7:medium']);
    const jobIf = "    if: ${{ 'renovate[bot]' == github.triggering_actor && true }}\n";
    expect(found('gha-spoofable-bot-check', job('workflow_run', '      - run: echo\n', jobIf))).toEqual([
      '6:high',
    ]);
    const contains = "      - if: contains(github.actor, '[bot]')\n        run: echo\n";
    expect(found('gha-spoofable-bot-check', job('pull_request_target', contains))).toEqual(['7:high']);
  });
  it('accepts checks on the PR author, the actor compared to people, and != bot guards', () => {
    const steps = [
      "      - if: github.event.pull_request.user.login == 'dependabot[bot]'\n        run: echo\n",
      "      - if: github.actor == 'octocat'\n        run: echo\n",
      "      - if: github.actor != 'dependabot[bot]'\n        run: echo\n",
    ].join('');
    expect(found('gha-spoofable-bot-check', job('pull_request_target', steps))).toEqual([]);
  });
});

describe('gha-secrets-tojson', () => {
  it('flags toJSON(secrets) wherever it appears', () => {
    const steps =
      "      - env:\n          ALL: ${{ toJSON(secrets) }}\n        run: ./deploy\n      - run: echo '${{ tojson(secrets) }}' > s.json\n";
    expect(found('gha-secrets-tojson', job('push', steps))).toEqual(['8:medium', '10:medium']);
  });
  it('accepts single secrets and toJSON of other contexts', () => {
    const steps =
      '      - env:\n          ONE: ${{ secrets.ONE }}\n          CTX: ${{ toJSON(github) }} ${{ toJSON(secrets.TWO) }}\n        run: ./deploy\n';
    expect(found('gha-secrets-tojson', job('push', steps))).toEqual([]);
  });
});

describe('gha-long-lived-publish-token', () => {
  it('flags PyPI publishing with a password and npm/cargo/twine publishing with a stored token', () => {
    const steps = [
      `      - uses: pypa/gh-action-pypi-publish@${SHA}\n        with:\n          password: \${{ secrets.PYPI_TOKEN }}\n`,
      '      - run: npm publish --access public\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n',
      '      - run: |\n          cargo build\n          cargo publish --token ${{ secrets.CRATES }}\n',
      '      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.PYPI }}\n',
    ].join('');
    expect(found('gha-long-lived-publish-token', job('push', steps))).toEqual([
      '7:low',
      '10:low',
      '15:low',
      '16:low',
    ]);
  });
  it('accepts trusted publishing (no token), and tokens next to commands that do not publish', () => {
    const steps = [
      `      - uses: pypa/gh-action-pypi-publish@${SHA}\n`,
      '      - run: npm publish --provenance\n',
      '      - run: npm ci\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n',
    ].join('');
    expect(
      found('gha-long-lived-publish-token', job('push', steps, '    permissions:\n      id-token: write\n')),
    ).toEqual([]);
  });
});

describe('gha-cache-in-release (cache poisoning)', () => {
  const tags = "\n  push:\n    tags: ['v*']";
  it('flags third-party and opt-out caching actions in tag workflows', () => {
    const steps = [
      `      - uses: Swatinem/rust-cache@${SHA}\n`,
      '      - uses: actions/setup-go@v5\n',
      '      - uses: astral-sh/setup-uv@v6\n        with:\n          enable-cache: true\n',
      `      - uses: docker/build-push-action@${SHA}\n        with:\n          cache-from: type=gha\n`,
    ].join('');
    expect(found('gha-cache-in-release', job(tags, steps))).toEqual([
      '9:medium',
      '10:medium',
      '11:medium',
      '14:medium',
    ]);
  });
  it('accepts caching turned off (cache: "" included), registry caches, and caches in ordinary CI', () => {
    const steps = [
      '      - uses: actions/setup-node@v4\n        with:\n          cache: ""\n',
      '      - uses: actions/setup-go@v5\n        with:\n          cache: false\n',
      `      - uses: docker/build-push-action@${SHA}\n        with:\n          cache-from: type=registry,ref=x\n`,
      '      - uses: actions/setup-python@v5\n',
    ].join('');
    expect(found('gha-cache-in-release', job(tags, steps))).toEqual([]);
    expect(found('gha-cache-in-release', job('push', `      - uses: Swatinem/rust-cache@${SHA}\n`))).toEqual(
      [],
    );
  });
  it('knows which caches are on by default (setup-go, setup-uv) and which input turns them off', () => {
    const on = `      - uses: astral-sh/setup-uv@${SHA}\n`;
    expect(found('gha-cache-in-release', job(tags, on))).toEqual(['9:medium']);
    const off = `      - uses: astral-sh/setup-uv@${SHA}\n        with:\n          enable-cache: false\n`;
    expect(found('gha-cache-in-release', job(tags, off))).toEqual([]);
  });
  it('counts pushes to release branches as releases', () => {
    const steps = `      - uses: Swatinem/rust-cache@${SHA}\n`;
    expect(found('gha-cache-in-release', job("\n  push:\n    branches: ['release/**']", steps))).toEqual([
      '9:medium',
    ]);
    expect(found('gha-cache-in-release', job('\n  push:\n    branches: [main]', steps))).toEqual([]);
  });
  it('flags a cache in a job that publishes, whatever the trigger', () => {
    const steps = `      - uses: actions/setup-python@v5\n        with:\n          cache: pip\n      - uses: pypa/gh-action-pypi-publish@${SHA}\n`;
    expect(found('gha-cache-in-release', job('push', steps))).toEqual(['7:medium']);
  });
});

describe('gha-unsound-condition', () => {
  it('flags ${{ }} with text around it, including the newline of a | block', () => {
    const block = "      - if: |\n          ${{ github.ref == 'refs/heads/main' }}\n        run: ./deploy\n";
    expect(found('gha-unsound-condition', job('push', block))).toEqual(['7:high']);
    const two =
      "      - if: ${{ success() }} && ${{ github.ref == 'refs/heads/main' }}\n        run: ./deploy\n";
    expect(found('gha-unsound-condition', job('push', two))).toEqual(['7:high']);
  });
  it('accepts a bare expression, one ${{ }} alone, and a >- block that leaves no newline', () => {
    const steps = [
      "      - if: github.ref == 'refs/heads/main'\n        run: a\n",
      "      - if: ${{ github.ref == 'refs/heads/main' }}\n        run: b\n",
      "      - if: >-\n          ${{ github.ref == 'refs/heads/main' }}\n        run: c\n",
    ].join('');
    expect(found('gha-unsound-condition', job('push', steps))).toEqual([]);
  });
});

describe('gha-unsound-contains', () => {
  it('flags contains() with a string literal as the list', () => {
    const steps =
      "      - if: contains('refs/heads/main refs/heads/release', github.ref)\n        run: ./deploy\n";
    expect(found('gha-unsound-contains', job('push', steps))).toEqual(['7:medium']);
  });
  it('accepts contains() on an array or on a context value', () => {
    const steps = [
      '      - if: contains(fromJSON(\'["refs/heads/main"]\'), github.ref)\n        run: a\n',
      "      - if: contains(github.event.pull_request.labels.*.name, 'deploy')\n        run: b\n",
    ].join('');
    expect(found('gha-unsound-contains', job('push', steps))).toEqual([]);
  });
});

describe('gha-unredacted-secrets', () => {
  it('flags a field read out of a JSON secret', () => {
    const steps =
      "      - env:\n          PW: ${{ fromJSON(secrets.DB).password }}\n          USER: ${{ fromJson(secrets.DB)['user'] }}\n        run: ./migrate\n";
    expect(found('gha-unredacted-secrets', job('push', steps))).toEqual(['8:medium', '9:medium']);
  });
  it('accepts whole secrets and fields of JSON that is not a secret', () => {
    const steps =
      '      - env:\n          PW: ${{ secrets.DB_PASSWORD }}\n          X: ${{ fromJSON(needs.a.outputs.cfg).x }}\n        run: ./migrate\n';
    expect(found('gha-unredacted-secrets', job('push', steps))).toEqual([]);
  });
});
