import type { DocumentedRequest } from '../../../src/providers/plugin';
import type { RecordedRequest } from '../../../src/sandbox/sim-server';
import { cancelledEvents, type ProviderHarness } from '../harness';

/** The request as the simulator recorded it matches the documented one: method, path, the listed headers, body. */
function expectDocumented(seen: RecordedRequest, doc: DocumentedRequest): void {
  expect({ method: seen.method, path: seen.url }).toEqual({ method: doc.method, path: doc.path });
  const headers = Object.fromEntries(Object.keys(doc.headers ?? {}).map((name) => [name, seen.headers[name]]));
  expect(headers).toEqual(doc.headers ?? {});
  if (doc.body === undefined) expect(seen.body).toBe('');
  else if (typeof doc.body === 'string') expect(seen.body).toBe(doc.body);
  else expect(JSON.parse(seen.body)).toEqual(doc.body);
}

/** Scenarios 1-4: the four business outcomes of one order, each through the real saga against the simulator. */
export function outcomeScenarios(h: ProviderHarness): void {
  it('eligible → CANCELLED: exactly the documented request, once; the merchant told; CancelState CANCELLED', async () => {
    const order = h.seed(h.fixture.orders.eligible);
    const result = await h.cancel(order);

    expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true, attempts: 1 });
    const cancels = h.sim.requestsFor(h.route, order.id);
    expect(cancels).toHaveLength(1);
    expectDocumented(cancels[0], h.fixture.cancelRequest(order.id));
    expect(h.cancelledAtProvider(order.id)).toBe(true);
    expect(h.merchant.typesFor(order.id)).toEqual(cancelledEvents(order.paid));
    const [workflowId] = h.started;
    const desc = await h.stack.env.client.workflow.getHandle(workflowId).describe();
    const hold = h.merchant.events.find((e) => e.orderId === order.id && e.type === 'cancellation.hold_requested');
    expect(hold?.idempotencyKey).toBe(`${workflowId}/${desc.runId}/hold`);
    expect(desc.searchAttributes).toMatchObject({
      CancelProvider: [h.provider],
      CancelOrderId: [order.id],
      CancelState: ['CANCELLED'],
    });
  });

  it('already cancelled → ALREADY_CANCELLED, no cancel sent', async () => {
    const order = h.seed(h.fixture.orders.alreadyCancelled);
    const result = await h.cancel(order);

    expect(result).toMatchObject({ outcome: 'ALREADY_CANCELLED', providerCancelled: false });
    expect(h.sim.requestsFor(h.route, order.id)).toHaveLength(0);
    expect(h.merchant.typesFor(order.id)).toEqual(['cancellation.completed']);
    expect(h.merchant.events.find((e) => e.orderId === order.id)?.data).toMatchObject({
      outcome: 'ALREADY_CANCELLED',
    });
  });

  it('not eligible → NOT_ELIGIBLE, nothing held, no cancel sent', async () => {
    const template = h.fixture.orders.notEligible;
    const order = h.seed(template);
    const result = await h.cancel(order);

    expect(result).toMatchObject({ outcome: 'NOT_ELIGIBLE', providerCancelled: false });
    expect(result.message.toLowerCase()).toContain((template.snapshot?.status ?? template.status).toLowerCase());
    expect(h.sim.requestsFor(h.route, order.id)).toHaveLength(0);
    expect(h.merchant.typesFor(order.id)).toEqual(['cancellation.not_eligible']);
  });

  it('refused by the provider → REJECTED, the hold released, the order untouched', async () => {
    const order = h.seed(h.fixture.orders.refused);
    const result = await h.cancel(order);

    expect(result).toMatchObject({ outcome: 'REJECTED', providerCancelled: false });
    expect(result.error?.type).toBe('ProviderRejectedError');
    expect(h.sim.requestsFor(h.route, order.id)).toHaveLength(1); // a refusal is not retried
    expect(h.cancelledAtProvider(order.id)).toBe(false);
    expect(h.merchant.typesFor(order.id)).toEqual([
      'cancellation.hold_requested',
      'cancellation.hold_released',
      'cancellation.rejected',
    ]);
    expect(result.steps.find((s) => s.name === 'releaseHold')).toMatchObject({ status: 'compensated' });
  });
}
