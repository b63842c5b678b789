import type { Finding } from '../../../actions/security-scan/src/findings.js';
import { applySuppressions, isRuleSelector } from '../../../actions/security-scan/src/suppress.js';

function finding(file: string, line: number, ruleId = 'docker-sudo', aliases?: string[]): Finding {
  return {
    ruleId,
    severity: 'medium',
    category: 'dockerfile',
    file,
    line,
    message: 'm',
    fix: 'f',
    ...(aliases ? { aliases } : {}),
  };
}

function kept(findings: Finding[], files: { path: string; text: string }[], ignore: string[] = []): string[] {
  return applySuppressions(findings, files, ignore).kept.map(
    (item) => `${item.file}:${item.line}:${item.ruleId}`,
  );
}

describe('suppressions', () => {
  it('tells rule and advisory selectors from paths', () => {
    expect(['docker-root-user', 'gha-write-all', 'GHSA-35jh-r3h4-6jhm', '1523'].every(isRuleSelector)).toBe(
      true,
    );
    expect(['test/fixtures/**', 'Dockerfile', '*.md', 'docs/'].some(isRuleSelector)).toBe(false);
  });

  it('ignores by rule id, advisory alias and gitignore-style path', () => {
    const findings = [
      finding('Dockerfile', 1, 'docker-sudo'),
      finding('package-lock.json', 9, 'dep-advisory', ['GHSA-aaaa-bbbb-cccc', '12']),
      finding('test/fixtures/x/Dockerfile', 2, 'docker-root-user'),
      finding('src/Dockerfile', 3, 'docker-root-user'),
    ];
    expect(kept(findings, [], ['docker-sudo', 'GHSA-aaaa-bbbb-cccc', 'test/fixtures/**'])).toEqual([
      'src/Dockerfile:3:docker-root-user',
    ]);
  });

  it('honours a trailing comment on the same line only', () => {
    const text = 'RUN sudo x # shipkit-ignore: docker-sudo\nRUN sudo y\n';
    expect(
      kept([finding('Dockerfile', 1), finding('Dockerfile', 2)], [{ path: 'Dockerfile', text }]),
    ).toEqual(['Dockerfile:2:docker-sudo']);
  });

  it('honours a comment alone on its line for the next line, in #, // and /* */ syntax', () => {
    for (const comment of [
      '# shipkit-ignore: docker-sudo',
      '// shipkit-ignore: docker-sudo',
      '/* shipkit-ignore: docker-sudo */',
    ]) {
      const text = `${comment}\nRUN sudo x\nRUN sudo y\n`;
      expect(kept([finding('f', 2), finding('f', 3)], [{ path: 'f', text }])).toEqual(['f:3:docker-sudo']);
    }
  });

  it('only suppresses the named rules; a bare shipkit-ignore suppresses all on that line', () => {
    const text = 'x # shipkit-ignore: docker-sudo, docker-apt-cleanup\ny # shipkit-ignore\n';
    const findings = [
      finding('f', 1, 'docker-sudo'),
      finding('f', 1, 'docker-apt-cleanup'),
      finding('f', 1, 'docker-root-user'),
      finding('f', 2, 'docker-root-user'),
    ];
    expect(kept(findings, [{ path: 'f', text }])).toEqual(['f:1:docker-root-user']);
  });

  it('honours shipkit-ignore-file for a rule across the file', () => {
    const text = '# shipkit-ignore-file: docker-sudo\nRUN sudo a\nRUN sudo b\n';
    const findings = [finding('f', 2), finding('f', 3), finding('f', 3, 'docker-apt-cleanup')];
    const result = applySuppressions(findings, [{ path: 'f', text }], []);
    expect(result.kept.map((item) => item.ruleId)).toEqual(['docker-apt-cleanup']);
    expect(result.suppressed).toHaveLength(2);
  });
});
