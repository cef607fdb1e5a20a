// The JavaScript original of NodeTour.java: `node node-tour.js [file]`.
const fs = require('fs');
const crypto = require('crypto');
const os = require('os');
const path = require('path');

const ITERATIONS = 100000;
const temp = process.argv[2] ? null : path.join(os.tmpdir(), `uv4j-node-tour-${process.pid}.bin`);
if (temp) {
  fs.writeFileSync(temp, Buffer.alloc(1 << 20));
}
const file = process.argv[2] || temp;
const t0 = process.hrtime.bigint();
const ms = () => Number((process.hrtime.bigint() - t0) / 1000000n);
process.on('exit', () => {
  if (temp) {
    fs.rmSync(temp, { force: true });
  }
});

console.log('Start');
fs.readFile(file, (err, data) => {
  if (err) {
    console.log('File read failed: ' + err.message);
  } else {
    console.log(`File read complete (${data.length.toLocaleString('en-US')} bytes, ${ms()} ms)`);
  }
});
crypto.pbkdf2('password', 'salt', ITERATIONS, 64, 'sha512', (err, key) =>
  console.log(`Password hash complete (${ms()} ms, key ${key.toString('hex').slice(0, 16)}...)`));
console.log('End');
