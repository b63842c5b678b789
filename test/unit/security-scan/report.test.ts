import {
  type Finding,
  countBySeverity,
  lineOf,
  maskSecret,
  meetsThreshold,
  sortFindings,
} from '../../../actions/security-scan/src/findings.js';
import { summaryMarkdown } from '../../../actions/security-scan/src/report.js';
import { ruleById, RULES } from '../../../actions/security-scan/src/rules.js';
import { toSarif } from '../../../actions/security-scan/src/sarif.js';

const FINDINGS: Finding[] = [
  {
    ruleId: 'docker-apt-cleanup',
    severity: 'low',
    category: 'dockerfile',
    file: 'Dockerfile',
    line: 4,
    message: 'lists stay',
    fix: 'rm',
  },
  {
    ruleId: 'gha-write-all',
    severity: 'high',
    category: 'workflows',
    file: '.github/workflows/a.yml',
    line: 2,
    message: 'write-all | bad',
    fix: 'scope',
  },
  {
    ruleId: 'secret-github',
    severity: 'critical',
    category: 'secrets',
    file: 'src/a.js',
    line: 7,
    column: 12,
    message: 'GitHub token committed: ghp_***',
    fix: 'revoke',
  },
];

describe('findings helpers', () => {
  it('compares severities against fail-on', () => {
    expect(meetsThreshold('high', 'high')).toBe(true);
    expect(meetsThreshold('medium', 'high')).toBe(false);
    expect(meetsThreshold('critical', 'none')).toBe(false);
    expect(meetsThreshold('low', 'low')).toBe(true);
  });
  it('sorts most severe first and counts by severity', () => {
    expect(sortFindings(FINDINGS).map((finding) => finding.severity)).toEqual(['critical', 'high', 'low']);
    expect(countBySeverity(FINDINGS)).toEqual({ critical: 1, high: 1, medium: 0, low: 1 });
  });
  it('masks to 4 characters and finds lines of offsets', () => {
    expect(maskSecret('ghp_abcdef')).toBe('ghp_***');
    expect(lineOf('a\nb\nc', 0)).toBe(1);
    expect(lineOf('a\nb\nc', 4)).toBe(3);
  });
  it('has a fix and a title for every rule; an unknown id (secret- ones too) is an error', () => {
    for (const rule of RULES.values()) {
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.id).toMatch(/^(secret|docker|gha|dep|code|live)-[a-z0-9-]+$/);
    }
    expect(() => ruleById('secret-nope')).toThrow(/Unknown rule/);
    expect(() => ruleById('nope')).toThrow(/Unknown rule/);
  });
});

describe('SARIF', () => {
  const sarif = toSarif(sortFindings(FINDINGS), { toolVersion: '0.1.0', pathPrefix: 'app/' }) as {
    version: string;
    runs: {
      tool: { driver: { name: string; rules: { id: string; properties: Record<string, unknown> }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string };
            region: { startLine: number; startColumn?: number };
          };
        }[];
        partialFingerprints: Record<string, string>;
      }[];
    }[];
  };
  const run = sarif.runs[0]!;

  it('is a 2.1.0 log with one run, a rule per rule id and a result per finding', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'docker-apt-cleanup',
      'gha-write-all',
      'secret-github',
    ]);
    expect(run.results).toHaveLength(3);
  });

  it('points results at their rule, location (under the scanned path) and level', () => {
    const secret = run.results[0]!;
    expect(run.tool.driver.rules[secret.ruleIndex]!.id).toBe(secret.ruleId);
    expect(secret.level).toBe('error');
    expect(secret.locations[0]!.physicalLocation.artifactLocation.uri).toBe('app/src/a.js');
    expect(secret.locations[0]!.physicalLocation.region).toEqual({ startLine: 7, startColumn: 12 });
    expect(run.results.map((result) => result.level)).toEqual(['error', 'error', 'note']);
    expect(run.tool.driver.rules[2]!.properties['security-severity']).toBe('9.5');
  });

  it('fingerprints findings independently of line numbers', () => {
    const moved = toSarif([{ ...FINDINGS[2]!, line: 99 }], {
      toolVersion: '0.1.0',
      pathPrefix: 'app/',
    }) as typeof sarif;
    expect(moved.runs[0]!.results[0]!.partialFingerprints).toEqual(run.results[0]!.partialFingerprints);
  });
});

describe('job summary', () => {
  const input = {
    findings: sortFindings(FINDINGS),
    suppressed: 2,
    filesScanned: 40,
    scanners: ['secrets', 'workflows'],
    failOn: 'high' as const,
    failed: true,
    durationMs: 1234,
    notes: ['⚠️ registry down'],
    pathPrefix: '',
  };

  it('gives the verdict, counts by severity and category, and the top findings with escaped cells', () => {
    const markdown = summaryMarkdown(input);
    expect(markdown).toContain('❌ **Failed**');
    expect(markdown).toContain('3 finding(s) in 40 file(s) (secrets, workflows), 2 suppressed, 1.2 s.');
    expect(markdown).toContain('| 1 | 1 | 0 | 1 |');
    expect(markdown).toContain('| workflows | 0 | 1 | 0 | 0 |');
    expect(markdown).toContain('`src/a.js:7`');
    expect(markdown).toContain('write-all \\| bad');
    expect(markdown).toContain('> ⚠️ registry down');
  });

  it('caps the findings table and says so', () => {
    const markdown = summaryMarkdown({ ...input, top: 1, failed: false });
    expect(markdown).toContain('✅ **Passed**');
    expect(markdown).toContain('Top findings (1 of 3; all in the SARIF file)');
  });

  it('lists the JS/TS files the code scanner did not read, grouped by reason, at most 10 per reason', () => {
    const bundles = Array.from({ length: 12 }, (_, index) => ({
      file: `dist/${index}.index.js`,
      reason: 'a bundle (webpack/ncc output); its sources are scanned where they live',
    }));
    const markdown = summaryMarkdown({
      ...input,
      pathPrefix: 'app/',
      codeSkipped: [
        ...bundles,
        { file: 'big.js', reason: 'larger than 512 KiB (700 KiB)' },
        { file: 'huge.js', reason: 'larger than 512 KiB (900 KiB)' },
      ],
    });
    expect(markdown).toContain('### JS/TS files the code scanner did not read (14)');
    expect(markdown).toContain('- larger than 512 KiB (2): `app/big.js`, `app/huge.js`\n');
    expect(markdown).toMatch(
      /- a bundle \(webpack\/ncc output\)[^(]*\(12\): `app\/dist\/0\.index\.js`.* and 2 more\n/,
    );
    expect(markdown).not.toContain('dist/10.index.js');
    expect(summaryMarkdown(input)).not.toContain('did not read');
  });
});

describe('README', () => {
  it('documents every rule in a rules table', async () => {
    const { readFileSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const readme = readFileSync(
      join(resolve(import.meta.dirname, '..', '..', '..'), 'actions', 'security-scan', 'README.md'),
      'utf8',
    );
    for (const id of RULES.keys())
      expect(readme).toMatch(new RegExp(`^\\| \`${id}\` +\\| (critical|high|medium|low) `, 'm'));
  });
});
