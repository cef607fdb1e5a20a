// pipe() with backpressure between a custom Readable (highWaterMark 2, objects) and a slow
// Writable (highWaterMark 1, each write completes on an immediate): the order of _read calls,
// writes, write completions, 'drain' handling, 'end', 'finish' and 'close'.
const { Readable, Writable } = require('stream');
const log = (s) => console.log(s);
let i = 0;
const src = new Readable({
  objectMode: true,
  highWaterMark: 2,
  read() {
    i++;
    log('read ' + i);
    this.push(i <= 4 ? 'c' + i : null);
  },
});
const dst = new Writable({
  objectMode: true,
  highWaterMark: 1,
  write(chunk, enc, cb) {
    log('write ' + chunk);
    setImmediate(() => {
      log('done ' + chunk);
      cb();
    });
  },
  final(cb) {
    log('final');
    cb();
  },
});
src.on('end', () => log('src end'));
src.on('close', () => log('src close'));
dst.on('drain', () => log('dst drain'));
dst.on('finish', () => log('dst finish'));
dst.on('close', () => log('dst close'));
src.pipe(dst);
log('main');
