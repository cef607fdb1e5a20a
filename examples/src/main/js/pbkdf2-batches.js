// The JavaScript original of Pbkdf2Batches.java: `UV_THREADPOOL_SIZE=N node pbkdf2-batches.js`.
// Eight pbkdf2 calls queued at once finish in batches of the pool size (4 by default). The Java
// version runs the same jobs with loop.queueWork instead of crypto.pbkdf2, to also record which
// pool thread ran each job and how many ran at once (what the JavaScript can only infer from
// the completion times).
const crypto = require('crypto');

const JOBS = 8;
const ITERATIONS = 100000;
const start = process.hrtime.bigint();
console.log(`libuv thread pool: ${process.env.UV_THREADPOOL_SIZE || 4} threads; ${JOBS} pbkdf2 jobs of ${ITERATIONS} iterations`);
for (let job = 1; job <= JOBS; job++) {
  crypto.pbkdf2('secret', 'salt', ITERATIONS, 64, 'sha512', (err, key) => {
    if (err) {
      throw err;
    }
    const ms = Number((process.hrtime.bigint() - start) / 1000000n);
    console.log(`job ${job} done at ${String(ms).padStart(5)} ms`);
  });
}
