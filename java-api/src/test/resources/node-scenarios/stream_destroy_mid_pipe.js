// Destroying the source of a pipe from the destination's write: the chunk already flowing is
// still written, the source closes, and the destination is neither ended nor unpiped (no
// 'finish', no 'unpipe'): it stays writable.
const { Readable, Writable } = require('stream');
const log = (s) => console.log(s);
let n = 0;
const src = new Readable({
  read() {
    n++;
    if (n <= 3) this.push('c' + n);
  },
});
const dst = new Writable({
  write(chunk, enc, cb) {
    log('write ' + chunk);
    if (String(chunk) === 'c2') {
      src.destroy();
      log('src destroyed');
    }
    cb();
  },
});
src.on('end', () => log('src end (never)'));
src.on('close', () => log('src close'));
dst.on('unpipe', () => log('dst unpipe (never)'));
dst.on('finish', () => log('dst finish (never)'));
dst.on('close', () => log('dst close (never)'));
src.pipe(dst);
setTimeout(() => log('later: dst writable ' + dst.writable + ', src destroyed ' + src.destroyed), 5);
