// A Transform: each chunk transformed on write, the flush callback after the last write and
// before the readable side ends; then 'finish', 'end', 'close' in Node's order.
const { Transform } = require('stream');
const log = (s) => console.log(s);
const t = new Transform({
  transform(chunk, enc, cb) {
    log('transform ' + chunk);
    cb(null, String(chunk).toUpperCase());
  },
  flush(cb) {
    log('flush');
    this.push('!');
    process.nextTick(cb);
  },
});
t.on('data', (d) => log('data ' + d));
t.on('finish', () => log('finish'));
t.on('end', () => log('end'));
t.on('close', () => log('close'));
t.write('a');
t.write('b', () => log('write b cb'));
t.end('c', () => log('end cb'));
process.nextTick(() => log('tick from main'));
log('main');
