// dgram: bind and 'listening', send with callback, 'message' with rinfo, connect/'connect',
// send on a connected socket, disconnect, socket options, membership, close and 'close',
// errors; each step after the previous one.
const dgram = require('dgram');
const log = (s) => console.log(s);

const a = dgram.createSocket('udp4');
const b = dgram.createSocket('udp4');
let bPort;

a.on('listening', () => {
  const addr = a.address();
  log('a listening ' + addr.address + ' ' + addr.family + ' port>0=' + (addr.port > 0));
});
b.on('listening', () => log('b listening'));
a.on('close', () => log('a close'));
b.on('close', () => log('b close'));

a.bind(0, '127.0.0.1', () => {
  log('a bind callback');
  b.bind(0, '127.0.0.1', () => {
    bPort = b.address().port;
    b.once('message', (msg, rinfo) => {
      log('b message ' + JSON.stringify(msg.toString()) + ' from ' + rinfo.address + ' ' + rinfo.family
          + ' port=a:' + (rinfo.port === a.address().port) + ' size=' + rinfo.size);
      b.send('reply', rinfo.port, rinfo.address, (err, bytes) => log('b send callback ' + err + ' ' + bytes));
    });
    a.once('message', (msg, rinfo) => {
      log('a message ' + JSON.stringify(msg.toString()) + ' size=' + rinfo.size);
      connected();
    });
    a.send('hello', bPort, '127.0.0.1', (err, bytes) => log('a send callback ' + err + ' ' + bytes));
    log('a send queued');
  });
});

function connected() {
  a.connect(bPort, '127.0.0.1', () => {
    log('a connect callback remote port=b:' + (a.remoteAddress().port === bPort));
    b.once('message', (msg, rinfo) => {
      log('b message ' + JSON.stringify(msg.toString()) + ' size=' + rinfo.size);
      try {
        a.send('x', 0, 1, bPort, '127.0.0.1');
      } catch (e) {
        log('send with address on connected socket: ' + e.code);
      }
      a.disconnect();
      try {
        a.remoteAddress();
      } catch (e) {
        log('remoteAddress after disconnect: ' + e.code);
      }
      options();
    });
    a.send(Buffer.from('via connect'), (err, bytes) => log('a connected send callback ' + err + ' ' + bytes));
  });
  a.on('connect', () => log('a connect event'));
}

function options() {
  a.setBroadcast(true);
  a.setTTL(64);
  a.setMulticastTTL(2);
  a.setMulticastLoopback(true);
  try {
    a.setTTL(0);
  } catch (e) {
    log('setTTL(0): ' + e.code);
  }
  a.addMembership('239.255.0.1');
  a.dropMembership('239.255.0.1');
  try {
    a.dropMembership('239.255.0.1');
  } catch (e) {
    log('drop twice: ' + e.code + ' ' + e.syscall);
  }
  try {
    a.addMembership('10.0.0.1');
  } catch (e) {
    log('non-multicast group: ' + e.code);
  }
  const c = dgram.createSocket('udp4');
  c.on('error', (e) => {
    log('c error ' + e.code + ' ' + e.syscall + ' ' + e.message.replace(String(bPort), 'PORT'));
    c.close(() => log('c closed'));
    closeAll();
  });
  c.bind(bPort, '127.0.0.1');
}

function closeAll() {
  a.close(() => log('a close callback'));
  b.close();
  try {
    a.send('late', bPort, '127.0.0.1');
  } catch (e) {
    log('send after close: ' + e.code);
  }
  log('closing');
}
