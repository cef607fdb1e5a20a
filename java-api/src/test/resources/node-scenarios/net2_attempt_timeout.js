// autoSelectFamily: an attempt that has not connected within autoSelectFamilyAttemptTimeout is
// abandoned ('connectionAttemptTimeout') and the next address is tried. The loop is blocked 30 ms
// right after the first attempt starts, so its 10 ms timer is due before the loop polls for I/O.
const net = require('net');
function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* spin */ }
}
const server = net.createServer((c) => c.end());
server.listen(0, () => { // '::', both families
  const port = server.address().port;
  const lookup = (host, opts, cb) => process.nextTick(cb, null, [
    { address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]);
  const c = net.connect({ port, host: 'two.example', lookup, autoSelectFamilyAttemptTimeout: 10 });
  let first = true;
  for (const ev of ['connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout', 'connect', 'error', 'close']) {
    c.on(ev, (...args) => console.log(ev + ' ' + args.map((x) => (x === port ? 'PORT' : String(x))).join(' | ')));
  }
  c.on('connectionAttempt', () => {
    if (first) {
      first = false;
      process.nextTick(busy, 30);
    }
  });
  c.resume();
  c.on('connect', () => console.log('attempted ' + c.autoSelectFamilyAttemptedAddresses.join(',').split(':' + port).join(':PORT') + ' remote ' + c.remoteAddress));
  c.on('close', () => server.close(() => console.log('server closed')));
});
