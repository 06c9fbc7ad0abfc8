import { clip } from './http';

/** What a classifier needs besides the answer: the order asked about and the values never to repeat. */
export interface ClassifyContext {
  orderId: string;
  secrets: string[];
}

/** Blank out any credential a provider might echo back, then shorten. */
export function say(ctx: ClassifyContext, text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const scrubbed = ctx.secrets.reduce((s, secret) => (secret ? s.split(secret).join('[redacted]') : s), text);
  return clip(scrubbed);
}
