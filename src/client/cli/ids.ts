import { PROVIDER_IDS } from '../../providers/types';
import { cancelWorkflowId } from '../../contract/ids';
import { CliError } from './context';

/**
 * The workflow id an operator means: a full id (`cancel:<provider>:123`, `bulk-cancel:...`) as is,
 * or the shorthand `provider:orderId` (`<provider>:123`) for a single-order cancellation.
 */
export function resolveWorkflowId(raw: string): string {
  const id = raw.trim();
  if (id === '') throw new CliError('id: must not be empty');
  const colon = id.indexOf(':');
  const head = colon > 0 ? id.slice(0, colon) : '';
  if ((PROVIDER_IDS as readonly string[]).includes(head) && colon < id.length - 1) {
    return cancelWorkflowId(head, id.slice(colon + 1));
  }
  return id;
}
