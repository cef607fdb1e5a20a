// Socket backpressure: a 4 MiB write returns false (16 KiB high-water mark); 'drain' comes once
// it is all written (before the write's callback); the peer receives every byte.
const net = require('net');
const log = (s) => console.log(s);
const server = [];
const client = [];
let done = 0;
const finish = () => {
  if (++done === 2) {
    server.forEach((s) => log('server: ' + s));
    client.forEach((s) => log('client: ' + s));
  }
};
const srv = net.createServer((sock) => {
  let total = 0;
  sock.on('data', (d) => { total += d.length; });
  sock.on('end', () => server.push('end after ' + total + ' bytes'));
  sock.on('close', () => srv.close(() => {
    server.push('closed');
    finish();
  }));
});
srv.listen(0, '127.0.0.1', () => {
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 'x');
    const r = c.write(big, (e) => client.push('write cb ' + e));
    client.push('write returned ' + r + ', needDrain ' + c.writableNeedDrain);
    c.on('drain', () => {
      client.push('drain, writableLength ' + c.writableLength);
      const r2 = c.write(Buffer.alloc(100));
      client.push('small write returned ' + r2);
      c.end();
    });
  });
  c.on('finish', () => client.push('finish'));
  c.on('end', () => client.push('end'));
  c.on('close', () => {
    client.push('close');
    finish();
  });
});
