// Types for bin/lib-state.js (plain CommonJS: bin/ runs it before anything is loaded).
/** The stamp written after lib/ was built from src/ (relative to the repository). */
export const STAMP: string;
/** lib/ against src/: missing, older than a file under src/, or current. */
export function libState(root: string): 'missing' | 'stale' | 'fresh';
