// socket.pending, readyState, connecting, remoteFamily/localFamily at each step of a socket's life.
const net = require('net');
const clientLog = [];
const serverLog = [];
function st(log, tag, s) {
  log.push(tag + ' pending=' + s.pending + ' readyState=' + s.readyState + ' connecting=' + s.connecting
    + ' remote=' + s.remoteAddress + '/' + s.remoteFamily + ' local=' + s.localAddress + '/' + s.localFamily);
}
let toClose = 2; // the last client's 'close' and its server side's 'close'
function done() {
  if (--toClose === 0) {
    server.close(() => {
      for (const l of clientLog) console.log('client: ' + l);
      for (const l of serverLog) console.log('server: ' + l);
    });
  }
}
let accepted = 0;
const server = net.createServer({ allowHalfOpen: true }, (c) => {
  const n = ++accepted;
  if (n === 2) {
    c.on('end', () => c.end());
    c.on('close', done);
    return;
  }
  st(serverLog, 'server connection', c);
  c.on('end', () => {
    st(serverLog, 'server peer ended', c);
    c.end();
    st(serverLog, 'server ended too', c);
  });
  c.on('close', () => st(serverLog, 'server close', c));
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const s = new net.Socket({ allowHalfOpen: true });
  st(clientLog, 'new', s);
  s.connect(port, '127.0.0.1');
  st(clientLog, 'connecting', s);
  s.on('connect', () => {
    st(clientLog, 'connected', s);
    s.end();
    st(clientLog, 'after end()', s);
  });
  s.on('end', () => st(clientLog, 'peer ended', s));
  s.on('close', () => {
    st(clientLog, 'close', s);
    const d = new net.Socket();
    d.connect(port, '127.0.0.1');
    d.destroy();
    st(clientLog, 'destroyed while connecting', d);
    d.on('close', () => {
      st(clientLog, 'close after destroy while connecting', d);
      const e = net.connect(port, '127.0.0.1', () => {
        e.destroy();
        st(clientLog, 'destroyed once connected', e);
      });
      e.on('close', () => {
        st(clientLog, 'close after destroy', e);
        done();
      });
    });
  });
});
