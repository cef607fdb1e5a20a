// Argument checks of net and dgram: Node's coded errors and messages; address errors of dgram.
const net = require('net');
const dgram = require('dgram');
function t(name, f) {
  try {
    f();
    console.log(name + ': no throw');
  } catch (e) {
    console.log(name + ': ' + e.code + ' ' + e.message);
  }
}
process.on('warning', (w) => console.log('warning ' + w.name + ' | ' + w.message.split('\n').join(' / ')));
const s = new net.Socket();
t('setTimeout(-1)', () => s.setTimeout(-1));
t('setTimeout(2 ** 31)', () => s.setTimeout(2 ** 31));
t('connect port 70000', () => new net.Socket().connect(70000, '127.0.0.1'));
t('connect port -1', () => net.connect(-1, '127.0.0.1'));
t('listen port 70000', () => net.createServer().listen(70000));
t('listen port -1', () => net.createServer().listen(-1, '127.0.0.1'));
const u = dgram.createSocket('udp4');
t('send port 0', () => u.send('x', 0, '127.0.0.1'));
t('send port 70000', () => u.send('x', 70000, '127.0.0.1'));
t('send offset+length past the end', () => u.send(Buffer.from('abc'), 2, 5, 1234, '127.0.0.1'));
t('send offset -1', () => u.send(Buffer.from('abc'), -1, 1, 1234, '127.0.0.1'));
t('send offset 4', () => u.send(Buffer.from('abc'), 4, 0, 1234, '127.0.0.1'));
t('send length -1', () => u.send(Buffer.from('abc'), 0, -1, 1234, '127.0.0.1'));
t('connect port 0', () => u.connect(0, '127.0.0.1'));
u.close();
const v = dgram.createSocket('udp4');
v.on('error', (e) => {
  console.log('bind ::1 on udp4: ' + e.code + ' ' + e.syscall + ' ' + e.address + ' ' + e.message);
  v.close();
  const w = dgram.createSocket('udp4');
  w.on('error', (e2) => {
    console.log('bind to a bad name: ' + e2.code + ' ' + e2.syscall + ' ' + e2.hostname + ' ' + e2.message);
    w.close();
    const x = dgram.createSocket('udp4');
    x.bind(0, 'localhost', () => {
      console.log('bound to localhost: ' + x.address().address + ' ' + x.address().family);
      x.send('y', 9, '::1', (err, n) => {
        console.log('send to ::1 on udp4: ' + err.code + ' ' + err.syscall + ' ' + err.message + ' ' + n);
        x.send('y', 9, 'no-such-host.invalid', (err2, n2) => {
          console.log('send to a bad name: ' + err2.code + ' ' + err2.syscall + ' ' + err2.message + ' ' + n2);
          x.close(() => console.log('closed'));
        });
      });
    });
  });
  w.bind(0, 'no-such-host.invalid');
});
v.bind(0, '::1');
