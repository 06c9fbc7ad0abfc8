import { createEcomAdapter, type EcomConfig } from '../../../src/providers/ecom';
import { ErrorType } from '../../../src/contract';
import { send } from '../../../src/providers/http';
import { EcomSim } from '../../../src/providers/ecom/simulator';
import { expectNoSecret, itMapsTransportFaults, providerFailure, useSim } from '../../helpers/provider-sim';

const SECRET = 'ecm_live_5e1d9b7c3a2f4e80';
const AUTH = `Authorization: Bearer ${SECRET}`;
const ID = '748596';
const REASON = { code: 'customer_request' } as const;
const PATH = '/api/rest/v1/ecom/integrations/cancelOrder';
const sim = new EcomSim({ authHeader: AUTH });

function adapter(over: Partial<EcomConfig> = {}) {
  return createEcomAdapter({ baseUrl: sim.url, authHeader: AUTH, timeoutMs: 2000, ...over });
}

const failure = (p: Promise<unknown>) => providerFailure(p, [SECRET]);

function envelope(text: string): string {
  return JSON.stringify({
    response: {
      responseType: 'text',
      responseId: 'r-1',
      responseMessages: [{ simpleResponse: { responseText: text } }],
    },
  });
}

useSim(sim, [{ id: ID, status: 'pending' }]);

describe('ecom cancel', () => {
  it('sends the conversation envelope with orderId and the configured auth header', async () => {
    await expect(adapter().cancel(ID, REASON)).resolves.toEqual({
      orderId: ID,
      status: 'CANCELLED',
      providerMessage: `Order ${ID} has been cancelled`,
    });
    expect(sim.requests).toHaveLength(1);
    const [req] = sim.requests;
    expect(req).toMatchObject({ method: 'POST', url: PATH, route: 'cancel', orderIds: [ID] });
    expect(req.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.accept).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      conversationRequest: { channel: 'api', userInfo: { uid: 'order-cancellation-orchestrator' } },
      queryInfo: { interestType: 'cancel-order', parameters: { params: { entityInfo: { orderId: ID } } } },
      languageCode: 'en-US',
    });
    expect(sim.orders.get(ID)?.status).toBe('cancelled');
  });

  it('uses the configured channel, language and any header name', async () => {
    const custom = new EcomSim({ authHeader: 'X-Api-Key: k-123456789' });
    await custom.start();
    try {
      custom.seed([{ id: ID, status: 'confirmed' }]);
      const a = createEcomAdapter({
        baseUrl: custom.url,
        authHeader: 'X-Api-Key:k-123456789',
        channel: 'telegram',
        languageCode: 'en-AU',
      });
      await expect(a.cancel(ID, REASON)).resolves.toMatchObject({ status: 'CANCELLED' });
      const [req] = custom.requests;
      expect(req.headers['x-api-key']).toBe('k-123456789');
      expect(JSON.parse(req.body)).toMatchObject({
        conversationRequest: { channel: 'telegram' },
        languageCode: 'en-AU',
      });
    } finally {
      await custom.stop();
    }
  });

  it('has no lookup: getOrderStatus answers undocumented free text', () => {
    expect(adapter().lookup).toBeUndefined();
  });

  it('treats an already-cancelled order (200 envelope) as success', async () => {
    sim.seed([{ id: ID, status: 'cancelled' }]);
    await expect(adapter().cancel(ID, REASON)).resolves.toEqual({
      orderId: ID,
      status: 'CANCELLED',
      providerMessage: `Order ${ID} is already cancelled.`,
    });
  });

  it('maps a 4xx business answer (not cancellable, unknown order) to ProviderRejectedError with its text', async () => {
    sim.seed([{ id: ID, status: 'shipped' }]);
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Rejected, status: 409 });
    expect(err.message).toContain(`cannot be cancelled because it is shipped`);
    const unknown = await failure(adapter().cancel('000000', REASON));
    expect(unknown).toMatchObject({ type: ErrorType.Rejected, status: 404 });
    expect(unknown.message).toContain('could not find order 000000');
  });

  it('maps a wrong credential to ProviderAuthError and never repeats an echoed one', async () => {
    const err = await failure(adapter({ authHeader: 'Authorization: Bearer nope' }).cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Auth, status: 401 });
    expect(err.message).toContain('Unauthorized');
    sim.injectFault({ route: 'cancel', status: 403, body: JSON.stringify({ error: `token ${SECRET} forbidden` }) });
    const echoed = await failure(adapter().cancel(ID, REASON));
    expect(echoed).toMatchObject({ type: ErrorType.Auth, status: 403 });
    expect(echoed.message).toContain('token [redacted] forbidden');
  });

  it('maps 5xx and 429 with Retry-After to ProviderTransientError', async () => {
    sim.injectFault({ route: 'cancel', status: 500, body: envelope('Something went wrong') });
    expect(await failure(adapter().cancel(ID, REASON))).toMatchObject({ type: ErrorType.Transient, status: 500 });
    sim.injectFault({ route: 'cancel', status: 429, retryAfter: '4' });
    expect(await failure(adapter().cancel(ID, REASON))).toMatchObject({
      type: ErrorType.Transient,
      retryAfterMs: 4000,
    });
  });

  it.each([
    [
      "the docs' own invalid example JSON",
      { status: 200, body: `{ "response": { "responseType": "text", }` },
      'is not JSON',
    ],
    ['a 200 that is not the envelope', { status: 200, body: '{"ok":true,"text":"Order cancelled"}' }, 'does not match'],
    [
      'an envelope without responseMessages',
      { status: 200, body: '{"response":{"responseType":"text"}}' },
      'does not match',
    ],
  ])('maps %s to ProviderResponseError, never success', async (_name, fault, words) => {
    sim.injectFault({ route: 'cancel', ...fault });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toContain(words);
  });

  it('accepts extra fields and non-text messages in the envelope', async () => {
    const body = {
      response: {
        responseType: 'card',
        responseId: 'x',
        extra: 1,
        responseMessages: [{ card: { title: 'Done' } }, { simpleResponse: { responseText: 'Cancelled.' } }],
      },
      trace: 'abc',
    };
    sim.injectFault({ route: 'cancel', status: 200, body: JSON.stringify(body) });
    await expect(adapter().cancel(ID, REASON)).resolves.toMatchObject({
      status: 'CANCELLED',
      providerMessage: 'Cancelled.',
    });
  });

  it('keeps an odd id verbatim in the body and on the cancel route only', async () => {
    const evil = '../admin?x=1#y';
    sim.seed([{ id: evil, status: 'processing' }]);
    await expect(adapter().cancel(evil, REASON)).resolves.toMatchObject({ orderId: evil, status: 'CANCELLED' });
    expect(sim.requestsFor('cancel', evil)).toHaveLength(1);
    expect(sim.requests.filter((r) => r.route !== 'cancel')).toEqual([]);
    expect(sim.requests[0].url).toBe(PATH);
  });

  it('refuses an empty id before any request', async () => {
    expect((await failure(adapter().cancel(' ', REASON))).type).toBe(ErrorType.InvalidRequest);
    expect(sim.requests).toEqual([]);
  });
});

describe('ecom transport faults', () => {
  itMapsTransportFaults({ provider: 'ecom', sim, cancel: (o) => adapter(o).cancel(ID, REASON), secrets: [SECRET] });
});

describe('ecom config', () => {
  it.each([
    SECRET,
    `: ${SECRET}`,
    `Bad Name: ${SECRET}`,
    'Authorization:',
    `Content-Type: ${SECRET}`,
    `Authorization: ${SECRET}\r\nX: y`,
  ])('refuses a malformed authHeader without echoing it (case %#)', (authHeader) => {
    let thrown: unknown;
    try {
      createEcomAdapter({ baseUrl: 'http://127.0.0.1:1', authHeader });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ type: ErrorType.Config });
    expect((thrown as Error).message).toMatch(/^ecom: authHeader must look like "Name: value"/);
    expectNoSecret(thrown, [SECRET]);
  });
});

describe('ecom simulator', () => {
  it("refuses the table's `orderID` spelling and records no order id for it", async () => {
    const body = JSON.parse(
      JSON.stringify({
        conversationRequest: { channel: 'api', userInfo: { uid: 'u' } },
        queryInfo: { interestType: 'cancel-order', parameters: { params: { entityInfo: { orderID: ID } } } },
        languageCode: 'en',
      }),
    );
    const res = await send('ecom', {
      method: 'POST',
      url: sim.url + PATH,
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(sim.requests[0].orderIds).toEqual([]);
    expect(sim.orders.get(ID)?.status).toBe('pending');
  });
});
