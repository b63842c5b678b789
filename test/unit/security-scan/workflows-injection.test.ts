import type { Finding } from '../../../actions/security-scan/src/findings.js';
import { scanWorkflows } from '../../../actions/security-scan/src/scanners/workflows.js';

/** `rule:line:severity` of the injection findings of a workflow (the rules this file is about). */
function injections(yaml: string, path = '.github/workflows/w.yml'): string[] {
  return scanWorkflows([{ path, text: yaml }])
    .filter((finding: Finding) => /injection/.test(finding.ruleId))
    .map((finding) => `${finding.ruleId}:${finding.line}:${finding.severity}`);
}

const DISPATCH = `on:
  workflow_dispatch:
    inputs:
      tag: { type: string }
      dry: { type: boolean }
      level: { type: choice, options: [a, b] }
permissions: {}
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
`;

describe('template injection beyond github.event', () => {
  it('flags free-text inputs in run (medium), not boolean or choice inputs', () => {
    const yaml = `${DISPATCH}      - run: echo \${{ inputs.tag }} \${{ github.event.inputs.tag }}\n      - run: echo \${{ inputs.dry }} \${{ inputs.level }}\n`;
    expect(injections(yaml)).toEqual(['gha-script-injection:12:medium', 'gha-script-injection:12:medium']);
  });

  it('flags workflow_call inputs and undeclared inputs as free text', () => {
    const yaml = `on:\n  workflow_call:\n    inputs:\n      cmd:\n        type: string\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: \${{ inputs.cmd }} && echo \${{ inputs.other }}\n`;
    expect(injections(yaml)).toEqual(['gha-script-injection:11:medium', 'gha-script-injection:11:medium']);
  });

  it('flags matrix values computed at run time, not literal ones', () => {
    const literal = `on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        node: [20, 24]\n        include:\n          - node: 22\n    steps:\n      - run: echo \${{ matrix.node }}\n`;
    expect(injections(literal)).toEqual([]);
    const computed = literal.replace(
      '      matrix:\n        node: [20, 24]\n        include:\n          - node: 22\n',
      '      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}\n\n\n\n',
    );
    expect(injections(computed)).toEqual(['gha-script-injection:12:medium']);
    const fromEvent = literal.replace('- node: 22', '- node: ${{ github.event.issue.title }}');
    expect(injections(fromEvent)).toEqual(['gha-script-injection:12:high']);
  });

  it('follows env.X back to what assigned it, at step, job or workflow level', () => {
    const yaml = `on: issues\npermissions: {}\nenv:\n  TITLE: \${{ github.event.issue.title }}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      INPUT: \${{ inputs.x }}\n    steps:\n      - env:\n          SAFE: \${{ github.sha }}\n        run: |\n          echo "\${{ env.TITLE }}"\n          echo "\${{ env.INPUT }}"\n          echo "\${{ env.SAFE }} $TITLE"\n`;
    expect(injections(yaml)).toEqual(['gha-script-injection:14:high', 'gha-script-injection:15:medium']);
  });

  it('follows step outputs written from untrusted text, and needs.<job>.outputs across jobs', () => {
    const yaml = `on: pull_request_target
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      branch: \${{ steps.b.outputs.name }}
      sha: \${{ steps.s.outputs.sha }}
    steps:
      - id: b
        env:
          REF: \${{ github.head_ref }}
        run: echo "name=$REF" >> "$GITHUB_OUTPUT"
      - id: s
        run: echo "sha=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"
      - run: echo \${{ steps.b.outputs.name }} \${{ steps.s.outputs.sha }}
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ needs.a.outputs.branch }} \${{ needs.a.outputs.sha }}
`;
    expect(injections(yaml)).toEqual(['gha-script-injection:16:high', 'gha-script-injection:21:high']);
  });

  it('rates outputs of unknown actions low and of known ones clean', () => {
    const yaml = `on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - id: meta\n        uses: someone/meta@${'a'.repeat(40)}\n      - id: cache\n        uses: actions/cache@v4\n      - run: echo \${{ steps.meta.outputs.tags }} \${{ steps.cache.outputs.cache-hit }}\n`;
    expect(injections(yaml)).toEqual(['gha-script-injection:11:low']);
  });

  it('flags code-running inputs of actions from the table: github-script, azure/powershell, yq', () => {
    const yaml = `on: issue_comment\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: |\n            const x = 1;\n            github.log("\${{ github.event.comment.body }}")\n      - uses: azure/powershell@v2\n        with:\n          inlineScript: Write-Host "\${{ github.event.issue.title }}"\n      - uses: mikefarah/yq@v4\n        with:\n          cmd: yq '.a = "\${{ github.event.issue.body }}"' f.yml\n      - uses: someone/other@v1\n        with:\n          script: \${{ github.event.issue.body }}\n`;
    expect(injections(yaml)).toEqual([
      'gha-script-injection:11:high',
      'gha-script-injection:14:high',
      'gha-script-injection:17:high',
    ]);
  });

  it('tells GITHUB_ENV writes from other uses, when the write continues on the next line or sits in a group', () => {
    const yaml = `on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "A=\${{ github.head_ref }}" \\\n            >> "$GITHUB_ENV"\n          {\n            echo "B=\${{ github.event.pull_request.title }}"\n          } >> $GITHUB_PATH\n          cat <<EOF >> $GITHUB_ENV\n          C=\${{ github.event.pull_request.body }}\n          EOF\n          echo "\${{ github.event.pull_request.body }}" > notes.txt\n`;
    expect(injections(yaml)).toEqual([
      'gha-env-injection:8:high',
      'gha-env-injection:11:high',
      'gha-env-injection:14:high',
      'gha-script-injection:16:high',
    ]);
  });

  it('flags attacker text written to GITHUB_ENV through a shell variable under privileged triggers only', () => {
    const yaml = `on: pull_request_target\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          B: \${{ github.head_ref }}\n          S: \${{ github.sha }}\n        run: |\n          echo "S=$S" >> $GITHUB_ENV\n          echo "B=$B" >> $GITHUB_ENV\n`;
    expect(injections(yaml)).toEqual(['gha-env-injection:12:high']);
    expect(injections(yaml.replace('pull_request_target', 'pull_request'))).toEqual([]);
  });
});

describe('composite actions', () => {
  const action = `name: x\ninputs:\n  version: { description: v }\nruns:\n  using: composite\n  steps:\n    - run: echo \${{ inputs.version }}\n      shell: bash\n    - uses: someone/tool@v1\n    - env:\n        V: \${{ inputs.version }}\n      run: echo "$V"\n      shell: bash\n`;
  it('audits the steps of action.yml with runs.using: composite (inputs are free text)', () => {
    const found = scanWorkflows([{ path: 'tools/x/action.yml', text: action }]);
    expect(found.map((finding) => `${finding.ruleId}:${finding.line}:${finding.severity}`)).toEqual([
      'gha-script-injection:7:medium',
      'gha-unpinned-action:9:medium',
    ]);
  });
  it('checks the conditions of composite steps', () => {
    const unsound =
      'runs:\n  using: composite\n  steps:\n    - if: |\n        ${{ inputs.deploy }}\n      run: ./deploy\n      shell: bash\n';
    expect(scanWorkflows([{ path: 'action.yml', text: unsound }]).map((finding) => finding.ruleId)).toEqual([
      'gha-unsound-condition',
    ]);
  });
  it('skips JavaScript and Docker actions and files not named action.yml', () => {
    const node = action.replace('using: composite', 'using: node24');
    expect(scanWorkflows([{ path: 'action.yaml', text: node }])).toEqual([]);
    expect(scanWorkflows([{ path: 'tools/x/other.yml', text: action }])).toEqual([]);
  });
});
