import assert from 'node:assert/strict';
import { textChunks } from '../../model/fileBody.js';
import { planUpload, type UploadPlan } from '../../sinks/uploadPlan.js';

/** The plan with its bytes: whole as given, streamed as its pieces join. */
function planView(plan: UploadPlan): { kind: UploadPlan['kind']; text: string } {
  const bytes = plan.kind === 'whole' ? plan.bytes : Buffer.concat([...plan.pieces()]);
  return { kind: plan.kind, text: bytes.toString('utf8') };
}

/** Text in pieces that counts the pieces it renders, on every call. */
function countedPieces(pieces: readonly string[]) {
  const rendered: number[] = [];
  const body = textChunks(function* () {
    const call = rendered.push(0) - 1;
    for (const piece of pieces) {
      rendered[call] = (rendered[call] ?? 0) + 1;
      yield piece;
    }
  });
  return { body, rendered };
}

describe('sinks: planUpload, one request or a stream', () => {
  it('sends a string whole up to the limit in UTF-8 bytes, not in characters, and streams it past', () => {
    // 'é' is one UTF-16 unit but two bytes: four of them are 8 bytes.
    assert.deepEqual([planUpload('éééé', 8), planUpload('éééé', 7), planUpload('', 0)].map(planView), [
      { kind: 'whole', text: 'éééé' },
      { kind: 'streamed', text: 'éééé' },
      { kind: 'whole', text: '' },
    ]);
  });

  it('sends bytes whole without a copy up to the limit, and streams them past it', () => {
    // Prepare
    const pdf = new Uint8Array(Buffer.from('%PDF-1.7 …'));
    // Act
    const whole = planUpload(pdf, pdf.byteLength);
    const streamed = planUpload(pdf, pdf.byteLength - 1);
    // Assess
    assert.equal(whole.kind === 'whole' && whole.bytes.buffer === pdf.buffer, true, 'the same memory');
    assert.deepEqual(planView(streamed), { kind: 'streamed', text: '%PDF-1.7 …' });
  });

  it('joins text in pieces that fits, rendering it once', () => {
    // Prepare
    const { body, rendered } = countedPieces(['ü', '', '集', '🚀']);
    // Act
    const plan = planUpload(body, 9);
    // Assess
    assert.deepEqual(
      { plan: planView(plan), rendered },
      { plan: { kind: 'whole', text: 'ü集🚀' }, rendered: [4] },
    );
  });

  it('stops rendering text in pieces one piece past the limit, and streams it anew from its start', () => {
    // Prepare: pieces of 3 bytes; the limit is passed by the third
    const { body, rendered } = countedPieces(['集', '群', '集', '群', '集']);
    // Act
    const plan = planUpload(body, 7);
    const peeked = [...rendered];
    const text = planView(plan);
    // Assess
    assert.deepEqual(
      { peeked, text, rendered },
      { peeked: [3], text: { kind: 'streamed', text: '集群集群集' }, rendered: [3, 5] },
    );
  });
});
