// Stream misuse as users see it: write(null), a number chunk, push after EOF, a _write
// callback called twice (ERR_MULTIPLE_CALLBACK), end() after finish (ERR_STREAM_ALREADY_FINISHED
// in the callback), a Transform whose flush fails; code, message and event order for each.
const { Readable, Writable, Transform } = require('stream');
const log = (s) => console.log(s);
const show = (label) => (e) => log(label + ': ' + (e ? e.code + ' | ' + e.message : e));
const steps = [
  (next) => {
    const w = new Writable({ write(c, e, cb) { cb(); } });
    try { w.write(null); } catch (e) { show('write(null) throws')(e); }
    try { w.write(42); } catch (e) { show('write(42) throws')(e); }
    next();
  },
  (next) => {
    const r = new Readable({ read() {} });
    r.on('error', show('push after EOF error'));
    r.on('close', () => {
      log('r close');
      next();
    });
    r.push('a');
    r.push(null);
    r.push('b');
  },
  (next) => {
    const w = new Writable({
      write(c, e, cb) {
        cb();
        cb();
      },
    });
    w.on('error', show('double callback error'));
    w.on('close', () => {
      log('w close');
      next();
    });
    w.write('x', show('write cb'));
  },
  (next) => {
    const w = new Writable({ write(c, e, cb) { cb(); } });
    w.end('x');
    w.on('finish', () => {
      log('finish');
      w.end(show('end after finish cb'));
      w.on('error', show('error event (never)'));
      setTimeout(next, 5);
    });
  },
  (next) => {
    const t = new Transform({
      transform(c, e, cb) { cb(null, c); },
      flush(cb) { cb(new Error('flush failed')); },
    });
    t.on('data', (d) => log('t data ' + d));
    t.on('end', () => log('t end (never)'));
    t.on('finish', () => log('t finish (never)'));
    t.on('error', show('t error'));
    t.on('close', () => {
      log('t close');
      next();
    });
    t.end('x');
  },
];
let i = 0;
(function next() {
  if (i < steps.length) steps[i++](next);
  else log('done');
})();
