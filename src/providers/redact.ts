import { clip } from './http';

/** What a classifier needs besides the answer: the order asked about and the values never to repeat. */
export interface ClassifyContext {
  orderId: string;
  secrets: string[];
}

/** The mark left where a credential was. */
export const REDACTED = '[redacted]';

/** `word` matched in any case inside a case-sensitive pattern (TOKEN below needs case to tell tokens from words). */
const anyCase = (word: string) => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
/** Names of fields that hold credentials (`api_key`, `X-Auth-Token`, `client_secret`, `password`...; not `author`). */
const CREDENTIAL_NAME = String.raw`[A-Za-z0-9_.-]*(?:${['key', 'token', 'secret', 'passwd', 'password', 'pwd', 'credential', 'signature'].map(anyCase).join('|')}|${anyCase('auth')}(?!or))[A-Za-z0-9_.-]*`;
/** Not a value redacted already (texts pass here more than once: the adapter, then the activity). */
const FRESH = String.raw`(?!"?\[redacted\])`;
/** A token-looking value: long, or with a digit, `+/=` or a lower-then-upper case mix (not "missing", "expired"). */
const TOKEN = String.raw`(?:[A-Za-z0-9._~+/=-]{20,}|(?=[A-Za-z0-9._~+/=-]*?(?:[0-9+/=]|[a-z][A-Za-z._~-]*[A-Z]))[A-Za-z0-9._~+/=-]{6,})`;

/**
 * Credential-shaped values, whoever echoes them: a pattern with a group keeps it (the name) and drops the value.
 * Named pairs go first, so `api_key=sk_live_x` leaves `api_key=[redacted]`.
 */
const PATTERNS: [RegExp, string][] = [
  // JSON-ish pairs, also JSON-escaped inside a string: "api_key": "…", 'token': '…', \"secret\":\"…\".
  [
    new RegExp(String.raw`(\\?["']${CREDENTIAL_NAME}\\?["']\s*:\s*)${FRESH}(?:\\?"[^"]*"|'[^']*'|[^\s,;&}\]]+)`, 'g'),
    `$1"${REDACTED}"`,
  ],
  // name=value pairs (query strings, form bodies, log lines): key=…, access_token = …, password=….
  [
    new RegExp(String.raw`(\b${CREDENTIAL_NAME}\s*=\s*)${FRESH}(?:"[^"]*"|'[^']*'|[^\s,;&"'}\]]+)`, 'g'),
    `$1${REDACTED}`,
  ],
  // Header-like pairs with a token-looking value: X-Api-Key: abc123…, token: 9f8e….
  [new RegExp(String.raw`(\b${CREDENTIAL_NAME}\s*:\s*)${TOKEN}`, 'g'), `$1${REDACTED}`],
  // Authorization schemes: Bearer …, Basic ….
  [new RegExp(String.raw`(\b(?:[Bb]earer|[Bb]asic)\s+)${TOKEN}`, 'g'), `$1${REDACTED}`],
  // Stripe-style keys: sk_live_…, sk_test_…, pk_live_…, rk_test_….
  [/\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9_-]+/g, REDACTED],
  // Other prefixed keys with a digit in them: sk_…, pk_…, sec_…, pub_…, whsec_….
  [/\b(?:sk|pk|rk|sec|pub|whsec)_(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{6,}/g, REDACTED],
  // JSON Web Tokens (header.payload.signature).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Credentials in a URL: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, `$1${REDACTED}@`],
];

/** Replace credential-shaped values (named pairs, Bearer tokens, sk_live_… keys, JWTs, URL passwords); keep the rest. */
export function redactCredentials(text: string): string {
  return PATTERNS.reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), text);
}

/** Blank out the known secrets and any credential-shaped value a provider or merchant echoed back, then shorten. */
export function say(ctx: ClassifyContext, text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const scrubbed = ctx.secrets.reduce((s, secret) => (secret ? s.split(secret).join(REDACTED) : s), text);
  return clip(redactCredentials(scrubbed));
}
