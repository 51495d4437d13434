import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CHECKS } from '../checks/registry.js';
import { PROVIDERS } from '../model/posture.js';

describe('README', () => {
  it('lists every check with its title, severity and side per cloud, in catalogue order', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| [A-Z]+-\d{2} \|/.test(line));
    const side = { customer: 'C', shared: 'S', provider: 'P' } as const;
    const expected = CHECKS.map((check) => {
      const sides = PROVIDERS.map((provider) => {
        const entry = check.providers[provider];
        return 'responsibility' in entry ? side[entry.responsibility] : 'n/a';
      });
      return `| ${check.id} | ${check.title} | ${check.severity} | ${sides.join(' | ')} |`;
    });
    assert.deepEqual(rows, expected);
  });
});
