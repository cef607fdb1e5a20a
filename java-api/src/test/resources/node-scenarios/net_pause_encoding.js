// A client that switches to setEncoding('utf8') after its first (Buffer) chunk while a
// multi-byte character arrives split across chunks (a lone first byte gives no 'data'), and
// pauses: nothing is delivered while paused (not even 'end'), resume() delivers the rest. The
// server writes one chunk every 15 ms after the client's hello, so chunk boundaries hold.
const net = require('net');
const log = (s) => console.log(s);
const chunks = [Buffer.from('ab'), Buffer.from([0xc3]), Buffer.from([0xa9, 0xe2, 0x82]), Buffer.from([0xac, 0x7a])];
const server = net.createServer((s) => {
  s.once('data', () => {
    let i = 0;
    const iv = setInterval(() => {
      s.write(chunks[i++]);
      if (i === chunks.length) {
        clearInterval(iv);
        s.end();
      }
    }, 15);
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.write('hello'));
  let n = 0;
  c.on('data', (d) => {
    n++;
    log('data ' + n + ' ' + (typeof d === 'string' ? 'string ' + JSON.stringify(d) : 'buffer ' + d.toString('hex')));
    if (n === 1) {
      c.setEncoding('utf8');
      log('readableEncoding ' + c.readableEncoding);
    }
    if (n === 2) {
      c.pause();
      log('paused, isPaused ' + c.isPaused());
      setTimeout(() => {
        log('resume, readableLength ' + c.readableLength);
        c.resume();
      }, 100);
    }
  });
  c.on('end', () => log('end'));
  c.on('close', () => {
    log('close');
    server.close();
  });
});
