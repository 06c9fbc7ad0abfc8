import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { failureConverter } from '../../../src/codec/failure-converter';
import { refused } from '../../../src/contract';

const pc = defaultPayloadConverter;

test('a failure is listed by its type; message and stack trace move into the encoded attributes and come back', () => {
  const err = ApplicationFailure.create({ type: 'ProviderTransientError', message: 'fastpod: HTTP 503 for ORD-42' });
  const failure = failureConverter.errorToFailure(err, pc);
  expect(failure.message).toBe('ProviderTransientError (message encrypted: open the event to read it)');
  expect(failure.stackTrace).toBe('');
  expect(JSON.stringify(failure.message)).not.toContain('ORD-42');
  expect(pc.fromPayload(failure.encodedAttributes!)).toMatchObject({ message: 'fastpod: HTTP 503 for ORD-42' });
  expect(failureConverter.failureToError(failure, pc).message).toBe('fastpod: HTTP 503 for ORD-42');
});

test('a plain error and a cause get a kind too', () => {
  const err = ApplicationFailure.create({ message: 'outer', cause: new Error('inner secret') });
  const failure = failureConverter.errorToFailure(err, pc);
  expect(failure.message).toBe('Error (message encrypted: open the event to read it)');
  expect(failure.cause?.message).toBe('Error (message encrypted: open the event to read it)');
  expect(JSON.stringify(failure)).not.toContain('inner secret');
});

test("an update's refusal stays readable (the UI shows only its message), without a stack trace", () => {
  const failure = failureConverter.errorToFailure(refused('nothing to retry: the cancellation is CANCELLED'), pc);
  expect(failure.message).toBe('nothing to retry: the cancellation is CANCELLED');
  expect(failure.encodedAttributes).toBeFalsy();
  expect(failure.stackTrace).toBe('');
  expect(failureConverter.failureToError(failure, pc).message).toBe('nothing to retry: the cancellation is CANCELLED');
});
