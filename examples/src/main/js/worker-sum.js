// The JavaScript original of WorkerSum.java: `node worker-sum.js [n]`.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

if (isMainThread) {
  const n = Number(process.argv[2] || 3000000000);
  const start = process.hrtime.bigint();
  const ms = () => Number((process.hrtime.bigint() - start) / 1000000n);
  let beats = 0;
  const heartbeat = setInterval(() => console.log(`heartbeat ${++beats} at ${ms()} ms: the main loop is free`), 100);

  const worker = new Worker(__filename, { workerData: n });
  worker.on('message', (sum) => {
    console.log(`result from worker ${worker.threadId}: sum(1..${n}) = ${sum} after ${ms()} ms and ${beats} heartbeats`);
    clearInterval(heartbeat);
  });
  worker.on('exit', (code) => console.log(`worker exited with code ${code}`));
} else {
  // Numbers are doubles in JavaScript: a BigInt keeps the sum exact.
  let sum = 0n;
  for (let i = 1n; i <= BigInt(workerData); i++) {
    sum += i;
  }
  parentPort.postMessage(sum);
}
