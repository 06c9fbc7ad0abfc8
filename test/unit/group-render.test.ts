import { describeBatch, describeBulk } from '../../src/client/cli/group-render';
import type { BatchView, BulkView } from '../../src/client/cli/group-status';
import type { BulkProgress } from '../../src/contract';

const progress: BulkProgress = {
  bulkId: 'b1',
  provider: 'fincart',
  state: 'RUNNING',
  total: 1000,
  received: 1000,
  done: 600,
  byOutcome: { CANCELLED: 580, REJECTED: 20 },
  inFlight: 200,
  inFlightChildren: 2,
  awaitingOperator: 2,
  run: 1,
  historyLength: 812,
};
const bulk: BulkView = {
  kind: 'bulk',
  workflowId: 'bulk-cancel:fincart:b1',
  runId: 'r',
  execution: 'RUNNING',
  provider: 'fincart',
  bulkId: 'b1',
  state: 'RUNNING',
  progress,
  waiting: [{ workflowId: 'bulk-cancel:fincart:b1:batch:3' }, { workflowId: 'bulk-cancel:fincart:b1:batch:7' }],
  next: ['npx cancel-orders status bulk-cancel:fincart:b1:batch:3    # waits for an operator'],
};

test('a running bulk: progress, in flight, the batches waiting for an operator, what to do', () => {
  expect(describeBulk(bulk)).toEqual([
    'bulk-cancel:fincart:b1   fincart bulk b1   (workflow RUNNING)',
    'state:     RUNNING',
    'progress:  600/1000 done (received 1000) — CANCELLED 580, REJECTED 20',
    'in flight: 200 order(s) in 2 child workflow(s)',
    'awaiting:  2 child workflow(s) wait for an operator',
    '  bulk-cancel:fincart:b1:batch:3',
    '  bulk-cancel:fincart:b1:batch:7',
    'next:',
    '  npx cancel-orders status bulk-cancel:fincart:b1:batch:3    # waits for an operator',
  ]);
});

test('the orders waiting for an operator are shown when the bulk counts them (awaitingOperatorOrders)', () => {
  const withOrders = { ...bulk, progress: { ...progress, awaitingOperatorOrders: 200 } };
  expect(describeBulk(withOrders)).toContain('awaiting:  2 child workflow(s) with 200 order(s) wait for an operator');
});

test('a batch: state, waiting step, orders with and without an outcome, an unknown provider state said so', () => {
  const batch: BatchView = {
    kind: 'batch',
    workflowId: 'bulk-cancel:fincart:b1:batch:3',
    runId: 'r',
    execution: 'RUNNING',
    provider: 'fincart',
    bulkId: 'b1',
    batchNo: 3,
    state: 'AWAITING_OPERATOR',
    providerCancelled: false,
    awaiting: { step: 'cancel', since: '2026-12-07T12:00:00.000Z', abortAllowed: true },
    steps: [],
    timeline: [],
    orders: [
      { orderId: 'FC-1', workflowId: 'w' },
      { orderId: 'FC-2', outcome: 'REJECTED', message: 'fincart refused', workflowId: 'w' },
      { orderId: 'FC-3', workflowId: 'w', providerCancelled: 'unknown' },
    ],
    next: ['npx cancel-orders retry bulk-cancel:fincart:b1:batch:3'],
  };
  expect(describeBatch(batch)).toEqual([
    'bulk-cancel:fincart:b1:batch:3   fincart batch 3 of bulk b1   (workflow RUNNING)',
    'state:    AWAITING_OPERATOR',
    'provider: UNKNOWN for 1 order(s) whether the provider cancelled (answer lost)',
    'waiting:  for an operator on step "cancel" since 2026-12-07T12:00:00.000Z',
    'orders:   3 (1 with an outcome)',
    '  FC-1  (running)',
    '  FC-2  REJECTED   fincart refused',
    '  FC-3  (running)  (provider state unknown)',
    'next:',
    '  npx cancel-orders retry bulk-cancel:fincart:b1:batch:3',
  ]);
});

test('an ended batch with a refused order says so in its state, not just DONE', () => {
  const orders = [
    { orderId: 'FC-1', outcome: 'CANCELLED', workflowId: 'w' },
    { orderId: 'FC-2', outcome: 'REJECTED', message: 'fincart refused', workflowId: 'w' },
  ];
  const batch = {
    kind: 'batch' as const,
    workflowId: 'bulk-cancel:fincart:b1:batch:1',
    runId: 'r',
    execution: 'COMPLETED',
    provider: 'fincart',
    bulkId: 'b1',
    batchNo: 1,
    state: 'DONE',
    providerCancelled: true as const,
    steps: [],
    timeline: [],
    orders,
    next: [],
  };
  expect(describeBatch(batch)[1]).toBe('state:    DONE (1 rejected)');
  expect(describeBatch({ ...batch, orders: [orders[0]] })[1]).toBe('state:    DONE');
});
