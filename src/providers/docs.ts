import { envPrefix, type ProviderManifest } from './manifest';
import { MANIFESTS } from './registry';

/** Where the generated tables sit in docs/providers.md (the text between the two markers is replaced). */
export const DOCS_MARKERS = {
  begin: '<!-- providers:begin (generated from the manifests: npm run docs) -->',
  end: '<!-- providers:end -->',
};

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|');

function capabilities(m: ProviderManifest): string {
  const c = m.capabilities;
  return [
    c.lookup ? 'lookup' : 'no lookup (snapshot judged)',
    c.readBack && 'read-back of a lost answer',
    c.batchCancel &&
      `batch cancel ≤ ${c.batchCancel.maxIdsPerCall} ids` +
        (c.batchCancel.reportsFailedIds ? '' : ', bisected on refusal'),
    c.asyncCancel && 'asynchronous cancel (job polled)',
    c.idempotencyHeader && `idempotency header ${code(c.idempotencyHeader)}`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** A markdown table with padded columns, as prettier lays it out (so `prettier --check` leaves it alone). */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(3, ...rows.map((r) => [...r[i]].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
  return [line(rows[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)];
}

/** The providers' variables and defaults, as markdown (docs/providers.md, between DOCS_MARKERS). */
export function renderProviderDocs(manifests: readonly ProviderManifest[] = MANIFESTS): string {
  const vars = manifests.flatMap((m) =>
    m.config.map((f) => {
      const notes = [
        f.required && 'required to enable',
        f.secret && 'secret',
        f.values && f.values.map(code).join(' / '),
      ];
      const extra = notes.filter(Boolean).join('; ');
      return [
        code(f.env),
        m.displayName,
        f.default === undefined ? '—' : code(f.default),
        cell(f.description) + (extra ? ` (${extra})` : ''),
      ];
    }),
  );
  const providers = manifests.map((m) => {
    const statuses = m.eligibility.cancellable.map(code).join(', ');
    return [
      `${code(m.id)} (${m.displayName})`,
      cell(capabilities(m)),
      String(m.retry.maximumAttempts),
      m.maxCallsPerSecond === undefined ? '—' : `${m.maxCallsPerSecond}/s`,
      statuses,
      cell(m.reasons.note),
    ];
  });
  return [
    ...table([['variable', 'provider', 'default', 'meaning'], ...vars]),
    '',
    `Per provider (\`<PROVIDER>\` is the id upper-cased, e.g. ${code(envPrefix(manifests[0].id))}): what it can do,`,
    'its default retry attempts (`<PROVIDER>_RETRY_MAX_ATTEMPTS`) and rate cap (`<PROVIDER>_MAX_CALLS_PER_SECOND`),',
    'its default cancellable statuses (`<PROVIDER>_CANCELLABLE_STATUSES`) and how reason codes reach it:',
    '',
    ...table([
      ['provider', 'capabilities', 'retry attempts', 'rate cap', 'cancellable statuses', 'reason codes'],
      ...providers,
    ]),
  ].join('\n');
}
