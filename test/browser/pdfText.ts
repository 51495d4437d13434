import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** One page of a PDF: its size in points and its text, white space folded to single spaces. */
export interface PdfPage {
  readonly widthPt: number;
  readonly heightPt: number;
  readonly text: string;
}

/** The pages of a PDF, read with pdf.js. */
export async function pdfPages(pdf: Uint8Array): Promise<PdfPage[]> {
  // pdf.js detaches the buffer it is given; a copy keeps the caller's intact.
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const [left = 0, bottom = 0, right = 0, top = 0] = page.view;
      const items = (await page.getTextContent()).items;
      const text = items
        .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : ''))
        .join('');
      pages.push({ widthPt: right - left, heightPt: top - bottom, text: text.replace(/\s+/g, ' ').trim() });
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/**
 * The text of every page of a PDF, pages joined by a blank line, so a sentence the layout split
 * over several text items still reads as written.
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return (await pdfPages(pdf)).map((page) => page.text).join('\n\n');
}
