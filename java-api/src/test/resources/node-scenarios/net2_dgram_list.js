// dgram send of a list of buffers (one datagram, concatenated), and send(buf, offset, length, ...).
const dgram = require('dgram');
const r = dgram.createSocket('udp4');
const a = dgram.createSocket('udp4');
const sent = [];
const received = [];
let got = 0;
r.on('message', (msg, rinfo) => {
  received.push('message "' + msg.toString() + '" size ' + rinfo.size + ' ' + rinfo.family);
  if (++got === 5) {
    a.close();
    r.close(() => {
      for (const l of sent) console.log(l);
      for (const l of received) console.log(l);
    });
  }
});
r.bind(0, '127.0.0.1', () => {
  const port = r.address().port;
  a.send([Buffer.from('ab'), Buffer.from('c'), Buffer.from('de')], port, '127.0.0.1', (err, n) => {
    sent.push('list sent ' + err + ' ' + n);
    a.send([], port, '127.0.0.1', (err2, n2) => {
      sent.push('empty list sent ' + err2 + ' ' + n2);
      a.send(Buffer.from('0123456789'), 2, 3, port, '127.0.0.1', (err3, n3) => {
        sent.push('slice sent ' + err3 + ' ' + n3);
        a.connect(port, 'localhost', () => {
          a.send([Buffer.from('con'), Buffer.from('nected')], (err4, n4) => {
            sent.push('connected list sent ' + err4 + ' ' + n4);
            a.send(Buffer.from('xyz'), 1, 1, (err5, n5) => sent.push('connected slice sent ' + err5 + ' ' + n5));
          });
        });
      });
    });
  });
});
