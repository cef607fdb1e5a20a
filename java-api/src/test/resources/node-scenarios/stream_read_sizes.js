// readable.read(n) in paused mode: n within the buffer (exact bytes), n beyond what is buffered
// before EOF (null, and 'readable' again later), n beyond after EOF (the rest), read() (all),
// read(0); with setEncoding the counts are in characters; readableLength along the way.
const { Readable } = require('stream');
const log = (s) => console.log(s);
const show = (v) => (v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : '[' + v + ']');
const r = new Readable({ read() {} });
r.push('abcdef');
log('length ' + r.readableLength);
log('read(2) ' + show(r.read(2)) + ' length ' + r.readableLength);
log('read(10) ' + show(r.read(10)) + ' length ' + r.readableLength);
log('read(0) ' + show(r.read(0)));
let round = 0;
r.on('readable', () => {
  round++;
  log('readable ' + round + ' length ' + r.readableLength + ' ended ' + r.readableEnded);
  if (round === 1) {
    log('  read(3) ' + show(r.read(3)));
    log('  read(100) ' + show(r.read(100)));
    setImmediate(() => {
      r.push('gh');
      r.push(null);
    });
  } else {
    let c;
    while ((c = r.read(100)) !== null) log('  read(100) ' + show(c));
  }
});
r.on('end', () => {
  log('end');
  const s = new Readable({ read() {} });
  s.setEncoding('utf8');
  s.push(Buffer.from('h\u00e9\u20acllo'));
  s.push(null);
  s.once('readable', () => {
    log('string length ' + s.readableLength);
    log('read(2) ' + show(s.read(2)));
    log('read() ' + show(s.read()));
    log('read() again ' + show(s.read()));
  });
  s.on('end', () => log('s end'));
});
