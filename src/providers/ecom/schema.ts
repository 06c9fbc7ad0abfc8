import { z } from 'zod';

/** One entry of `responseMessages`; only `simpleResponse.responseText` is read, cards and media are ignored. */
const messageSchema = z.object({
  simpleResponse: z.object({ responseText: z.string().optional() }).nullish(),
});

/** The answer envelope `{response:{responseType, responseId, responseMessages}}`; extra fields are fine. */
export const envelopeSchema = z.object({
  response: z.object({
    responseType: z.string().min(1),
    responseId: z.string().optional(),
    responseMessages: z.array(messageSchema),
  }),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** The texts of an envelope, joined: what the chat user would have read. */
export function responseText(env: Envelope): string | undefined {
  const texts = env.response.responseMessages
    .map((m) => m.simpleResponse?.responseText?.trim())
    .filter((t): t is string => !!t);
  return texts.length ? texts.join(' ') : undefined;
}

/** A non-envelope error body (`{message}` or `{error}`), as gateways in front of the service answer. */
export const plainErrorSchema = z.object({
  message: z.string().optional(),
  error: z.union([z.string(), z.object({ message: z.string().optional() })]).optional(),
});
