// A 'data' listener switches a Readable to flowing on a later tick (resume is deferred): data
// pushed before that is buffered and arrives after the tick queued first; pause() and resume()
// emit 'pause'/'resume'; data pushed while paused waits for resume().
const { Readable } = require('stream');
const log = (s) => console.log(s);
const r = new Readable({ read() {} });
r.push('a');
process.nextTick(() => log('tick queued before on(data)'));
r.on('data', (d) => {
  log('data ' + d);
  if (String(d) === 'b') {
    r.pause();
    log('paused, isPaused ' + r.isPaused());
    r.push('c');
    setImmediate(() => {
      log('immediate resumes');
      r.resume();
      r.push(null);
    });
  }
});
r.on('pause', () => log('pause event'));
r.on('resume', () => log('resume event'));
r.on('end', () => log('end'));
r.on('close', () => log('close'));
r.push('b');
log('flowing ' + r.readableFlowing);
process.nextTick(() => log('tick queued after on(data), flowing ' + r.readableFlowing));
log('main');
