// net misuse as users see it: bad ports (thrown RangeError code and message), listen twice,
// close() on a server that is not running, write after end (callback and 'error'), end twice,
// Net.isIP; each error printed as code + message.
const net = require('net');
const log = (s) => console.log(s);
const show = (label, e) => log(label + ': ' + e.code + ' | ' + e.message);
try { net.createServer().listen(70000); } catch (e) { show('listen 70000', e); }
try { net.createServer().listen(-1); } catch (e) { show('listen -1', e); }
try { net.connect(70000, '127.0.0.1'); } catch (e) { show('connect 70000', e); }
try { net.connect(-2, '127.0.0.1'); } catch (e) { show('connect -2', e); }
log('isIP ' + ['127.0.0.1', '::1', 'x', '1.2.3.256', '::ffff:1.2.3.4', ''].map((s) => net.isIP(s)).join(','));
net.createServer().close((err) => show('close not running', err));
const server = net.createServer((s) => {
  s.on('data', (d) => log('server data ' + d));
  s.on('end', () => {
    log('server end');
    s.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  try { server.listen(0, '127.0.0.1'); } catch (e) { show('listen twice', e); }
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.end('last');
    c.end();
    c.write('after end', (err) => show('write cb', err));
    c.on('error', (e) => show('socket error event', e));
    log('writable ' + c.writable + ' writableEnded ' + c.writableEnded);
  });
  c.on('close', (hadError) => {
    log('client close ' + hadError);
    server.close(() => log('server closed'));
  });
});
