import fc from 'fast-check';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { BulkClient } from '../../../src/client/bulk-client';
import { CancellationClient, InvalidInputError } from '../../../src/client/cancellation-client';
import { checkBulkInput, checkCancelOrderInput } from '../../../src/contract';
import { params } from '../../helpers/fuzz';
import { BULK_FIELD, CANCEL_FIELD, bulkInput, cancelInput } from '../../helpers/input-arbs';

/**
 * A Client whose only side effect, workflow.start, is recorded (the code around it is what is tested); the order has
 * no earlier run (describe answers "not found", as the server does for a new workflow id).
 */
function recordingClient() {
  const starts: { args: unknown[] }[] = [];
  const client = {
    workflow: {
      getHandle: (workflowId: string) => ({
        describe: () => Promise.reject(new WorkflowNotFoundError('not found', workflowId, undefined)),
      }),
      start: (_type: string, opts: { args: unknown[]; workflowId: string }) => {
        starts.push(opts);
        return Promise.resolve({ workflowId: opts.workflowId });
      },
    },
  } as unknown as Client;
  return { client, starts };
}

test('cancel inputs: accepted and started once, or refused with InvalidInputError naming the field, nothing started', async () => {
  await fc.assert(
    fc.asyncProperty(cancelInput, async (raw) => {
      const { client, starts } = recordingClient();
      const cc = new CancellationClient({ client, taskQueue: 'q' });
      const out = await cc.startCancellation(raw).catch((e: unknown) => e);
      const workflowSays = checkCancelOrderInput(JSON.parse(JSON.stringify(raw ?? null)));
      if (out instanceof Error) {
        expect(out).toBeInstanceOf(InvalidInputError);
        expect(out.message.replace(/^invalid cancellation: /, '')).toMatch(CANCEL_FIELD);
        expect(out.message).not.toMatch(/\n/);
        expect(starts).toHaveLength(0);
        return;
      }
      expect(starts).toHaveLength(1);
      // What the client sent is what the workflow accepts after the JSON round trip.
      expect(workflowSays.ok).toBe(true);
      expect(checkCancelOrderInput(JSON.parse(JSON.stringify(starts[0].args[0]))).ok).toBe(true);
    }),
    params(1500),
  );
});

test('bulk inputs: the client and the workflow agree; a refusal names the field or the position', async () => {
  await fc.assert(
    fc.asyncProperty(bulkInput, async (raw) => {
      const { client, starts } = recordingClient();
      const bc = new BulkClient({ client, taskQueue: 'q' });
      const out = await bc.startBulkCancellation(raw as never).catch((e: unknown) => e);
      if (out instanceof Error) {
        expect(out).toBeInstanceOf(InvalidInputError);
        expect(out.message.replace(/^invalid bulk: /, '')).toMatch(BULK_FIELD);
        expect(starts).toHaveLength(0);
        return;
      }
      expect(starts).toHaveLength(1);
      const checked = checkBulkInput(JSON.parse(JSON.stringify(starts[0].args[0])));
      expect(checked.ok ? 'ok' : checked.error).toBe('ok');
    }),
    params(1500),
  );
});
