// The citation thread's entry: a plain module that lets tsx load TypeScript in this thread (under `node --import tsx`
// and under vitest alike), then runs the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
