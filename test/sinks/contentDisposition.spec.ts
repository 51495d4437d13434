import assert from 'node:assert/strict';
import { contentDispositionFor } from '../../sinks/contentDisposition.js';

describe('sinks: contentDispositionFor', () => {
  it('makes the download formats attachments named after the file, and leaves the rest inline', () => {
    // Prepare
    const keys = [
      'runs/2026-11-29/r1/findings.csv',
      'runs/2026-11-29/r1/junit.xml',
      'runs/2026-11-29/r1/findings.ocsf.json',
      'runs/2026-11-29/r1/report.html',
      'runs/2026-11-29/r1/report.md',
      'runs/2026-11-29/r1/report.json',
      'runs/2026-11-29/r1/manifest.json',
      'latest.json',
      'history.json',
      'findings.csv',
    ];
    // Act
    const dispositions = Object.fromEntries(keys.map((key) => [key, contentDispositionFor(key)]));
    // Assess
    assert.deepEqual(dispositions, {
      'runs/2026-11-29/r1/findings.csv': 'attachment; filename="findings.csv"',
      'runs/2026-11-29/r1/junit.xml': 'attachment; filename="junit.xml"',
      'runs/2026-11-29/r1/findings.ocsf.json': 'attachment; filename="findings.ocsf.json"',
      'runs/2026-11-29/r1/report.html': undefined,
      'runs/2026-11-29/r1/report.md': undefined,
      'runs/2026-11-29/r1/report.json': undefined,
      'runs/2026-11-29/r1/manifest.json': undefined,
      'latest.json': undefined,
      'history.json': undefined,
      'findings.csv': 'attachment; filename="findings.csv"',
    });
  });

  it('matches the whole file name, not a suffix or a folder', () => {
    assert.deepEqual(
      [
        'runs/d/r/old-findings.csv',
        'runs/findings.csv/report.html',
        'runs/d/r/JUNIT.XML',
        'runs/d/r/junit.xml.bak',
      ].map(contentDispositionFor),
      [undefined, undefined, undefined, undefined],
    );
  });
});
