// A worker thread that runs one app instance of the queue benchmark (bench/queue-instance.ts) through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveInstance } = await import('./queue-instance.ts');
await serveInstance(parentPort, workerData);
