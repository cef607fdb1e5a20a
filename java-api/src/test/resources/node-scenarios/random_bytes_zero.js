// crypto.randomBytes(0, cb) calls back synchronously in Node 20; other sizes go to the pool.
const crypto = require('crypto');
console.log('start');
crypto.randomBytes(0, (err, buf) => console.log('zero: err ' + err + ' length ' + buf.length));
console.log('after randomBytes(0)');
crypto.randomBytes(4, (err, buf) => console.log('four: length ' + buf.length));
process.nextTick(() => console.log('tick'));
console.log('end');
