// stream.pipeline and stream.finished: a successful pipeline (callback on the tick after the
// destination closed), a failing destination (both destroyed, the callback gets the error), and
// finished() reporting a premature close.
const { Readable, Writable, pipeline, finished } = require('stream');
let i = 0;
const src = new Readable({
  read() {
    i++;
    this.push(i <= 3 ? 'chunk' + i : null);
  },
});
const out = [];
const dst = new Writable({
  write(chunk, enc, cb) {
    out.push(chunk.toString());
    cb();
  },
});
finished(src, (err) => console.log('src finished ' + err));
finished(dst, (err) => console.log('dst finished ' + err));
src.on('end', () => console.log('src end'));
src.on('close', () => console.log('src close'));
dst.on('finish', () => console.log('dst finish'));
dst.on('close', () => console.log('dst close'));
pipeline(src, dst, (err) => {
  console.log('pipeline done ' + err + ' ' + out.join(','));
  second();
});
process.nextTick(() => console.log('tick'));
console.log('main');

function second() {
  const src2 = new Readable({
    read() {
      this.push('x');
    },
  });
  const dst2 = new Writable({
    write(chunk, enc, cb) {
      cb(new Error('disk full'));
    },
  });
  src2.on('close', () => console.log('src2 close, destroyed ' + src2.destroyed));
  dst2.on('error', (e) => console.log('dst2 error ' + e.message));
  dst2.on('close', () => console.log('dst2 close'));
  pipeline(src2, dst2, (err) => {
    console.log('pipeline 2 done ' + err.message);
    third();
  });
}

function third() {
  const src3 = new Readable({ read() {} });
  finished(src3, (err) => console.log('src3 finished ' + err.code));
  src3.on('close', () => console.log('src3 close'));
  src3.destroy();
  const dst4 = new Writable({ write(chunk, enc, cb) { cb(); } });
  dst4.end('last');
  finished(dst4, (err) => console.log('dst4 finished ' + err));
}
