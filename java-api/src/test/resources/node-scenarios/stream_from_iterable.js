// Readable.from: an array of strings (object mode: one 'data' per item), ticks between items,
// an empty array, an iterator that throws, and pipeline() of Readable.from into a Writable.
const { Readable, Writable, pipeline } = require('stream');
const log = (s) => console.log(s);
const r = Readable.from(['a', 'b', 'c']);
log('objectMode ' + r.readableObjectMode + ' hwm ' + r.readableHighWaterMark);
r.on('data', (c) => {
  log('data ' + c);
  process.nextTick(() => log('tick after ' + c));
});
r.on('end', () => log('end'));
r.on('close', () => {
  log('close');
  const empty = Readable.from([]);
  empty.on('data', () => log('empty data (never)'));
  empty.on('end', () => log('empty end'));
  empty.on('close', () => {
    log('empty close');
    function* gen() {
      yield 'x';
      throw new Error('gen failed');
    }
    const bad = Readable.from(gen());
    bad.on('data', (c) => log('bad data ' + c));
    bad.on('error', (e) => log('bad error ' + e.message));
    bad.on('close', () => {
      log('bad close');
      const got = [];
      pipeline(Readable.from(['1', '2', '3']), new Writable({
        objectMode: true,
        write(c, e, cb) { got.push(c); cb(); },
      }), (err) => log('pipeline ' + err + ' ' + got.join('')));
    });
  });
});
log('main');
