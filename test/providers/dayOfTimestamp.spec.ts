import assert from 'node:assert/strict';
import { dayOfTimestamp } from '../../providers/reader.js';

describe('providers/reader dayOfTimestamp: a support date only from a real timestamp', () => {
  it('reads a Date, epoch seconds and an RFC 3339 string', () => {
    assert.equal(dayOfTimestamp(new Date('2027-04-11T00:00:00Z')), '2027-04-11');
    assert.equal(dayOfTimestamp(1_806_451_200), '2027-03-31');
    assert.equal(dayOfTimestamp('2027-04-11T00:00:00Z'), '2027-04-11');
    assert.equal(dayOfTimestamp('2027-04-11'), '2027-04-11');
  });

  it('reads no date from strings V8 would take for one, nor from other values', () => {
    for (const value of ['0', '5', 'May', 'x 1', '', '2027-13-45', undefined, null, [], {}]) {
      assert.equal(dayOfTimestamp(value), undefined, JSON.stringify(value));
    }
  });
});
