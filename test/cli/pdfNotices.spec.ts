import assert from 'node:assert/strict';
import { pdfNotices } from '../../cli/scan.js';

describe('cli: what kubeline says about the PDF', () => {
  it('says nothing when no PDF was asked for, or when it was printed without a request', () => {
    assert.deepEqual(
      [pdfNotices(undefined), pdfNotices({ state: 'written', blockedRequests: [] })],
      [[], []],
    );
  });

  it('gives the reason of a skipped or failed PDF and says the other reports were written', () => {
    assert.deepEqual(
      pdfNotices({ state: 'failed', reason: 'PDF not rendered with /usr/bin/chromium: crashed' }),
      ['PDF not rendered with /usr/bin/chromium: crashed; the other reports were written'],
    );
  });

  it('names the first five requests the report tried to make while printing, and counts them all', () => {
    const urls = Array.from({ length: 7 }, (_, index) => `https://cdn.example.com/${index}.css`);
    assert.deepEqual(
      [
        pdfNotices({ state: 'written', blockedRequests: urls.slice(0, 1) }),
        pdfNotices({ state: 'written', blockedRequests: urls }),
      ],
      [
        [
          'report.pdf: the report tried 1 network requests while printing, all refused: https://cdn.example.com/0.css',
        ],
        [
          `report.pdf: the report tried 7 network requests while printing, all refused: ${urls.slice(0, 5).join(', ')}, …`,
        ],
      ],
    );
  });
});
