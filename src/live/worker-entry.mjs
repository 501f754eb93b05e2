// The reader thread's entry: a plain module that lets tsx load TypeScript in this thread (under `node --import tsx`
// and under vitest alike), then runs the thread's side of src/live/reader.ts.
import { register } from 'tsx/esm/api';

register();
const { runReaderThread } = await import('./reader.ts');
runReaderThread();
