import { batchDoneState, countOutcomes } from '../../../src/client/cli/batch-state';
import { table } from '../../../src/client/cli/table';

describe('table', () => {
  it('pads every column but the last to its widest cell, header first, trailing spaces trimmed', () => {
    const lines = table(
      [
        ['fungies', 'tq-fungies', 'PAUSED', '3', 'maintenance'],
        ['ecom', 'tq-ecom-long-name', '≤ 5 calls/s', '12', ''],
      ],
      { header: ['PROVIDER', 'QUEUE', 'CAP', 'BACKLOG', 'REASON'], right: [3] },
    );
    expect(lines).toEqual([
      'PROVIDER  QUEUE              CAP          BACKLOG  REASON',
      'fungies   tq-fungies         PAUSED             3  maintenance',
      'ecom      tq-ecom-long-name  ≤ 5 calls/s       12',
    ]);
    // Every column starts at the same offset on every line.
    const starts = (line: string) => [...line.matchAll(/ {2}(?=\S)/g)].map((m) => m.index);
    expect(starts(lines[1]).slice(0, 2)).toEqual(starts(lines[0]).slice(0, 2));
  });

  it('indents, and copes with rows of fewer cells', () => {
    expect(table([['a', 'bb'], ['ccc']], { indent: '  ' })).toEqual(['  a    bb', '  ccc']);
  });
});

describe('batchDoneState', () => {
  it('says DONE only when every order ended cancelled', () => {
    expect(batchDoneState({ CANCELLED: 49, ALREADY_CANCELLED: 1 })).toBe('DONE');
  });

  it('names the orders that did not end cancelled, by outcome', () => {
    expect(batchDoneState(countOutcomes(['CANCELLED', 'REJECTED', 'CANCELLED']))).toBe('DONE (1 rejected)');
    expect(batchDoneState({ CANCELLED: 2, REJECTED: 2, NOT_ELIGIBLE: 1 })).toBe('DONE (2 rejected, 1 not eligible)');
  });

  it('counts only orders with an outcome', () => {
    expect(countOutcomes(['CANCELLED', undefined, 'FAILED'])).toEqual({ CANCELLED: 1, FAILED: 1 });
  });
});
