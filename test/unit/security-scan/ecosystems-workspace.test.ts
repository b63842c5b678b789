import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { scan } from '../../../actions/security-scan/src/scan.js';
import { type OsvRecord, startOsvStandIn } from '../../helpers/osv-stand-in.js';

const WORKSPACE = join(
  resolve(import.meta.dirname, '..', '..', '..'),
  'test/fixtures/security-scan/ecosystems',
);

describe('the ecosystems workspace (one lockfile of each kind and a Flask app), scanned in process', () => {
  it('yields the expected dependency and Python findings against the OSV stand-in', async () => {
    const records = JSON.parse(readFileSync(join(WORKSPACE, 'osv-records.json'), 'utf8')) as OsvRecord[];
    const osv = await startOsvStandIn(records);
    try {
      const files = readdirSync(WORKSPACE).map((name) => ({
        path: name,
        text: readFileSync(join(WORKSPACE, name), 'utf8'),
      }));
      const result = await scan(files, {
        scanners: ['dependencies', 'python'],
        ignore: ['CVE-0000-2004', 'code-py-bind-all'],
        dependencies: { osvUrl: osv.url },
        workflows: {},
      });
      expect(result.unreachable).toEqual([]);
      const byRule = (rule: string): number =>
        result.findings.filter((finding) => finding.ruleId === rule).length;
      expect(byRule('dep-advisory')).toBe(13); // 14 in the records, one ignored by its CVE alias
      expect(
        result.findings
          .filter((finding) => finding.ruleId.startsWith('code-py-'))
          .map((finding) => `${finding.line} ${finding.ruleId}`),
      ).toEqual(
        expect.arrayContaining([
          '21 code-py-shell-injection',
          '27 code-py-sql-injection',
          '47 code-py-flask-debug',
        ]),
      );
      expect(byRule('code-py-bind-all')).toBe(0);
      expect(result.suppressed.map((finding) => finding.ruleId).sort()).toEqual([
        'code-py-bind-all',
        'dep-advisory',
      ]);
      // Most severe first: the CVSS 10.0 log4j finding leads.
      expect(result.findings[0]!.severity).toBe('critical');
    } finally {
      await osv.close();
    }
  });
});
