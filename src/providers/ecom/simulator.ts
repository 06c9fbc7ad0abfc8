import { randomUUID } from 'node:crypto';
import { SimServer, type Routed, type SimRequest, type SimResponse } from '../../sandbox/sim-server';

/** Statuses the simulator lets a cancel through (the eligibility defaults for ecom). */
export const ECOM_SIM_CANCELLABLE = ['pending', 'confirmed', 'processing'];

const CANCEL_PATH = ['api', 'rest', 'v1', 'ecom', 'integrations', 'cancelOrder'];

/**
 * Ecom chat-integration simulator: `POST /api/rest/v1/ecom/integrations/cancelOrder` (route `cancel`).
 * Its choice for a repeat: an already-cancelled order answers 200 with an envelope saying so.
 */
export class EcomSim extends SimServer {
  readonly name = 'ecom';
  private readonly authName: string;
  private readonly authValue: string;

  constructor(opts: { authHeader: string }) {
    super();
    const i = opts.authHeader.indexOf(':');
    this.authName = opts.authHeader.slice(0, i).trim().toLowerCase();
    this.authValue = opts.authHeader.slice(i + 1).trim();
  }

  protected route(req: SimRequest): Routed | undefined {
    const isCancel = req.segments.length === CANCEL_PATH.length && req.segments.every((s, i) => s === CANCEL_PATH[i]);
    if (!isCancel || req.method !== 'POST') return undefined;
    const orderId = entityOrderId(req.json);
    return { route: 'cancel', orderIds: orderId ? [orderId] : [], handle: () => this.cancel(req, orderId) };
  }

  private cancel(req: SimRequest, orderId: string | undefined): SimResponse {
    if (req.headers[this.authName] !== this.authValue) return { status: 401, body: { message: 'Unauthorized' } };
    const body = req.json as Envelope | undefined;
    if (body?.queryInfo?.interestType !== 'cancel-order') return reply(400, 'Unsupported interestType.');
    if (!body.conversationRequest?.userInfo?.uid) return reply(400, 'userInfo.uid is required.');
    if (!body.languageCode) return reply(400, 'languageCode is required.');
    if (!orderId) return reply(400, 'Please tell me the order id you want to cancel.');
    const order = this.orders.get(orderId);
    if (!order) return reply(404, `Sorry, I could not find order ${orderId}.`);
    if (order.status === 'cancelled') return reply(200, `Order ${orderId} is already cancelled.`);
    if (!ECOM_SIM_CANCELLABLE.includes(order.status)) {
      return reply(409, `Sorry, order ${orderId} cannot be cancelled because it is ${order.status}.`);
    }
    order.status = 'cancelled';
    return reply(200, `Order ${orderId} has been cancelled`);
  }
}

interface Envelope {
  conversationRequest?: { userInfo?: { uid?: unknown } };
  queryInfo?: { interestType?: unknown; parameters?: { params?: { entityInfo?: { orderId?: unknown } } } };
  languageCode?: unknown;
}

function entityOrderId(json: unknown): string | undefined {
  const id = (json as Envelope | undefined)?.queryInfo?.parameters?.params?.entityInfo?.orderId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** An answer in the documented envelope. */
function reply(status: number, text: string): SimResponse {
  const response = {
    responseType: 'text',
    responseId: randomUUID(),
    responseMessages: [{ simpleResponse: { responseText: text } }],
  };
  return { status, body: { response } };
}
