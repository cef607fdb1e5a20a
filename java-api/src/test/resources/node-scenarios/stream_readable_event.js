// The 'readable' event: emitted on a later tick once data is buffered; read() in a loop
// drains it; read() returning null with the stream ended brings 'end'.
const { Readable } = require('stream');
const log = (s) => console.log(s);
const r = new Readable({ read() {} });
r.on('readable', () => {
  log('readable, length ' + r.readableLength);
  let chunk;
  while ((chunk = r.read()) !== null) {
    log('read ' + chunk);
  }
});
r.on('end', () => log('end'));
r.on('close', () => log('close'));
r.push('one');
r.push('two');
log('pushed two');
setImmediate(() => {
  r.push('three');
  r.push(null);
  log('pushed three and EOF');
});
process.nextTick(() => log('tick from main'));
log('main');
