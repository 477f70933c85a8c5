// Entry of a card render worker thread. Plain JavaScript so it starts the same way under `tsx`,
// vitest and plain node: it registers tsx's loader for this thread, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
