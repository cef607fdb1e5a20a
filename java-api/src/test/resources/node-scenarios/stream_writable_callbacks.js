// A Writable whose _write calls back synchronously: the write callbacks run on a later tick (all
// the writes of this tick first), then _final, 'finish', the end callback and 'close'.
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
log('main');
