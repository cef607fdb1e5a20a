// write() after end(): the callback gets ERR_STREAM_WRITE_AFTER_END on a later tick, then
// 'error' and 'close' (the stream is destroyed, so 'finish' never comes).
const { Writable } = require('stream');
const log = (s) => console.log(s);
const w = new Writable({
  write(chunk, enc, cb) {
    log('_write ' + chunk);
    cb();
  },
  final(cb) {
    log('_final');
    process.nextTick(cb);
  },
});
w.on('finish', () => log('finish'));
w.on('close', () => log('close'));
w.on('error', (e) => log('error ' + e.code));
log('write a returned ' + w.write('a', () => log('cb a')));
log('write b returned ' + w.write('b', () => log('cb b')));
process.nextTick(() => log('tick between'));
w.end('c', (err) => log('end cb ' + (err && err.code)));
w.write('d', (err) => log('cb d ' + (err && err.code)));
log('main');
