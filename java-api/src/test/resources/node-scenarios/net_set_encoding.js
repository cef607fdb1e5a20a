// socket.setEncoding('utf8'): the server sends "a" and the first two bytes of "€", waits for
// the client's acknowledgement, then sends the last byte of "€" and "b": the client's 'data'
// delivers strings and the euro sign arrives whole in the second one.
const net = require('net');
const server = net.createServer((sock) => {
  sock.write(Buffer.from([0x61, 0xe2, 0x82]));
  sock.on('data', (d) => {
    console.log('server got ' + d);
    sock.end(Buffer.from([0xac, 0x62]));
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.setEncoding('utf8');
  let n = 0;
  client.on('data', (s) => {
    console.log('client data ' + typeof s + ' ' + JSON.stringify(s) + ' ' + client.readableEncoding);
    if (++n === 1) {
      client.write('ok');
    }
  });
  client.on('end', () => {
    console.log('client end');
    client.end();
    server.close(() => console.log('server closed'));
  });
});
