// A write that fails: the destination emits 'error' then 'close' (autoDestroy), the pipe
// unpipes the source, which stays paused and is not destroyed.
const { Readable, Writable } = require('stream');
const log = (s) => console.log(s);
let n = 0;
const src = new Readable({
  read() {
    n++;
    this.push(n <= 5 ? 'c' + n : null);
  },
});
const dst = new Writable({
  write(chunk, enc, cb) {
    log('write ' + chunk);
    cb(String(chunk) === 'c2' ? new Error('disk full') : null);
  },
});
src.on('close', () => log('src close (never)'));
dst.on('unpipe', () => log('dst unpipe'));
dst.on('error', (e) => log('dst error ' + e.message));
dst.on('close', () => log('dst close'));
src.pipe(dst);
setTimeout(() => log('later: src destroyed ' + src.destroyed + ', flowing ' + src.readableFlowing), 5);
