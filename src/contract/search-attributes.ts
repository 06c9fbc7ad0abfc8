import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes of the contract (all Keyword), registered on the server at start-up. */
export const CancelProvider = defineSearchAttributeKey('CancelProvider', SearchAttributeType.KEYWORD);
export const CancelOrderId = defineSearchAttributeKey('CancelOrderId', SearchAttributeType.KEYWORD);
export const CancelState = defineSearchAttributeKey('CancelState', SearchAttributeType.KEYWORD);
export const CancelBulkId = defineSearchAttributeKey('CancelBulkId', SearchAttributeType.KEYWORD);

/** All of them, for server registration. */
export const SEARCH_ATTRIBUTES = [CancelProvider, CancelOrderId, CancelState, CancelBulkId];
