import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { toFailure } from '../../src/activities/failure';
import { MerchantRefusedError, ProviderRejectedError, ProviderTransientError } from '../../src/contract';
import { formatLogEntry } from '../../src/worker/log';

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
