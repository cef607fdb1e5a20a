// autoSelectFamily (Node 20's default): both families looked up are tried in turn (happy eyeballs).
const net = require('net');
const server = net.createServer((c) => c.end());
let port;
const noPort = (m) => m.split(':' + port).join(':PORT');
function describe(x) {
  if (x instanceof Error) {
    return x.name + ' ' + x.code + ' "' + noPort(x.message) + '"' + (x.errors ? ' [' + x.errors.map((e) => noPort(e.message)).join('; ') + ']' : '');
  }
  return x === port ? 'PORT' : String(x);
}
function watch(tag, s) {
  for (const ev of ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout', 'connect', 'error', 'close']) {
    s.on(ev, (...args) => console.log(tag + ' ' + ev + ' ' + args.map(describe).join(' | ') + ' connecting=' + s.connecting));
  }
}
// Answers asynchronously, like dns.lookup: IPv6 first, then IPv4, then IPv6 again (tried once);
// without {all: true}, the first address.
const lookup = (host, opts, cb) => process.nextTick(() => {
  if (opts.all) {
    cb(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
  } else {
    cb(null, '::1', 6);
  }
});
server.listen(0, '127.0.0.1', () => {
  port = server.address().port;
  const a = net.connect({ port, host: 'two.example', lookup });
  watch('a', a);
  a.resume();
  a.on('connect', () => console.log('a attempted ' + noPort(a.autoSelectFamilyAttemptedAddresses.join(',')) + ' remote ' + a.remoteAddress));
  a.on('close', () => {
    const b = net.connect({ port: 1, host: 'two.example', lookup });
    watch('b', b);
    b.on('close', () => {
      const c = net.connect({ port, host: 'two.example', lookup, autoSelectFamily: false });
      watch('c', c);
      c.on('close', () => {
        try {
          net.connect({ port, host: 'two.example', autoSelectFamilyAttemptTimeout: 0 });
        } catch (e) {
          console.log('attempt timeout 0: ' + e.code + ' ' + e.message);
        }
        server.close(() => console.log('server closed'));
      });
    });
  });
});
