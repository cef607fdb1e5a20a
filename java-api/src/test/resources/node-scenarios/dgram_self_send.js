// A UDP socket sending to itself: each send callback (bytes) comes before that datagram's
// 'message'; an empty datagram arrives with size 0; a send queued before bind binds implicitly
// ('listening' first); send with offset/length; close() with sends done, 'close' after.
const dgram = require('dgram');
const log = (s) => console.log(s);
const s = dgram.createSocket('udp4');
let got = 0;
s.on('listening', () => log('listening'));
s.on('message', (msg, rinfo) => {
  log('message ' + JSON.stringify(msg.toString()) + ' size ' + rinfo.size + ' family ' + rinfo.family);
  if (++got === 4) {
    s.close(() => log('close callback'));
    log('closing');
  }
});
s.on('close', () => log('close event'));
s.bind(0, '127.0.0.1', () => {
  const port = s.address().port;
  s.send('one', port, '127.0.0.1', (err, n) => log('send one cb ' + err + ' ' + n));
  s.send('', port, '127.0.0.1', (err, n) => log('send empty cb ' + err + ' ' + n));
  s.send(Buffer.from('xxthreexx'), 2, 5, port, '127.0.0.1', (err, n) => log('send three cb ' + err + ' ' + n));
  s.send(Buffer.from('four'), port, '127.0.0.1', (err, n) => log('send four cb ' + err + ' ' + n));
  process.nextTick(() => log('tick after sends'));
});
log('main');
