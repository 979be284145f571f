/** The `deposit_transition` columns every history insert writes, in parameter order (id is generated). */
export const HISTORY_COLUMNS = ['guid', 'from', 'to', 'reason', 'at', 'detail'] as const;
