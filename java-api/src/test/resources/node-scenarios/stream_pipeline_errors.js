// pipeline() error propagation through three streams: the transform fails on its second
// chunk; every stream is destroyed with that error ('error' then 'close' on each, the failing
// one first) and the callback gets it after the closes. finished() on a Writable that errors
// and on one ended normally; write after destroy (ERR_STREAM_DESTROYED); end(cb) after destroy
// (Node 20 never calls that cb).
const { Readable, Writable, Transform, pipeline, finished } = require('stream');
const log = (s) => console.log(s);
let i = 0;
const src = new Readable({
  read() {
    i++;
    this.push(i <= 5 ? 'c' + i : null);
  },
});
const t = new Transform({
  transform(chunk, enc, cb) {
    if (String(chunk) === 'c2') cb(new Error('bad chunk c2'));
    else cb(null, String(chunk).toUpperCase());
  },
});
const got = [];
const dst = new Writable({
  write(chunk, enc, cb) {
    got.push(String(chunk));
    cb();
  },
});
for (const [name, s] of [['src', src], ['t', t], ['dst', dst]]) {
  s.on('error', (e) => log(name + ' error ' + e.message));
  s.on('close', () => log(name + ' close'));
}
pipeline(src, t, dst, (err) => {
  log('pipeline cb ' + err.message + ' got ' + got.join(','));
  log('destroyed ' + src.destroyed + ' ' + t.destroyed + ' ' + dst.destroyed);
  second();
});
function second() {
  const w = new Writable({ write(c, e, cb) { cb(new Error('write failed')); } });
  finished(w, (err) => log('finished w ' + err.message));
  w.on('error', (e) => log('w error ' + e.message));
  w.write('x', (err) => log('w write cb ' + err.message));
  const ok = new Writable({ write(c, e, cb) { cb(); } });
  finished(ok, (err) => {
    log('finished ok ' + err);
    const d = new Writable({ write(c, e, cb) { cb(); } });
    d.destroy();
    d.write('late', (err) => log('write after destroy cb ' + err.code + ' | ' + err.message));
    d.on('error', (e) => log('d error (never) ' + e.code));
    d.end((err) => log('end after destroy cb ' + (err && err.code)));
  });
  ok.end('y');
}
