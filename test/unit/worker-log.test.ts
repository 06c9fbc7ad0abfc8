import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { toFailure } from '../../src/activities/failure';
import { MerchantRefusedError, ProviderRejectedError, ProviderTransientError } from '../../src/contract';
import { randomBytes } from 'node:crypto';
import { formatLogEntry, writeLogEntry } from '../../src/worker/log';

/** What the worker writes for a log call, through the same DefaultLogger the worker installs. */
function logged(level: 'WARN' | 'DEBUG', message: string, meta: Record<string, unknown>): string[] {
  const out: string[] = [];
  new DefaultLogger('DEBUG', (e) => out.push(formatLogEntry(e))).log(level, message, meta);
  return out;
}

test('a failed attempt is one log line: type, message, attempt and workflow, no stack trace', () => {
  const error = toFailure(new ProviderTransientError('fastpod: HTTP 503: injected 503', { provider: 'fastpod' }), 2);
  const lines = logged('WARN', 'Activity failed', {
    error,
    durationMs: 12,
    activityType: 'cancelAtProvider',
    attempt: 2,
    workflowId: 'cancel:fastpod:o-1',
  });
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain('\n');
  expect(lines[0]).toMatch(
    /^\d{4}-\d\d-\d\dT[\d:.]+Z \[WARN\] Activity failed: ProviderTransientError: fastpod: HTTP 503: injected 503 \{.*"activityType":"cancelAtProvider".*"attempt":2.*"workflowId":"cancel:fastpod:o-1"/,
  );
});

test('expected refusals are benign failures, which the SDK logs at DEBUG, not as warnings', () => {
  const rejected = toFailure(new ProviderRejectedError('fincart: refused', { provider: 'fincart' }), 1);
  const refused = toFailure(new MerchantRefusedError('merchant refused (HTTP 409)', 409), 1);
  const transient = toFailure(new ProviderTransientError('HTTP 503', { provider: 'fincart' }), 1);
  expect((rejected as ApplicationFailure).category).toBe(ApplicationFailureCategory.BENIGN);
  expect((refused as ApplicationFailure).category).toBe(ApplicationFailureCategory.BENIGN);
  expect((transient as ApplicationFailure).category).toBeUndefined();
});

test('a bug (not an ApplicationFailure) keeps its stack', () => {
  const [line] = logged('WARN', 'Activity failed', { error: new TypeError('x is undefined') });
  expect(line).toContain('TypeError: x is undefined');
  expect(line.split('\n').length).toBeGreaterThan(1);
});

test("a failed attempt's line carries no task token (nor any other base64 blob), and keeps the rest", () => {
  const token = randomBytes(180).toString('base64'); // the SDK's activity log meta has one this long
  const error = toFailure(new ProviderTransientError('fastpod: HTTP 503', { provider: 'fastpod' }), 1);
  const [line] = logged('WARN', 'Activity failed', {
    error,
    isLocal: false,
    attempt: 1,
    namespace: 'default',
    taskToken: token,
    activityId: '3',
    activityType: 'cancelAtProvider',
    taskQueue: 'order-cancellation-fastpod',
    workflowId: 'cancel:fastpod:o-1',
    nested: { blob: randomBytes(64).toString('base64'), note: 'kept' },
  });
  expect(line).not.toContain(token);
  expect(line).not.toContain('taskToken');
  expect(line).not.toMatch(/[A-Za-z0-9+/]{64,}/);
  expect(line).toContain('"activityType":"cancelAtProvider"');
  expect(line).toContain('"taskQueue":"order-cancellation-fastpod"');
  expect(line).toContain('"nested":{"note":"kept"}');
  expect(line.length).toBeLessThan(400);
});

test("a normal start prints no WARN: the provider queues' activity-only workers do not warn; other WARNs are printed", () => {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
  try {
    const logger = new DefaultLogger('INFO', writeLogEntry);
    const meta = { sdkComponent: 'worker', taskQueue: 'order-cancellation-fincart' };
    logger.warn('No workflows registered, not polling for workflow tasks', meta);
    logger.warn('providers disabled (credentials not set): fincart');
    logger.info('Worker state changed', { ...meta, state: 'RUNNING' });
  } finally {
    spy.mockRestore();
  }
  expect(written.join('')).not.toContain('No workflows registered');
  expect(written.filter((l) => l.includes('[WARN]'))).toEqual([
    expect.stringContaining('[WARN] providers disabled (credentials not set): fincart'),
  ]);
  expect(written.join('')).toContain('[INFO] Worker state changed');
});
