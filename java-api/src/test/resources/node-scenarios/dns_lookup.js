const dns = require('dns');
dns.lookup('127.0.0.1', (err, address, family) => {
  console.log('literal ' + address + ' ' + family);
  dns.lookup('localhost', { family: 4 }, (err, address, family) => {
    console.log('localhost ' + address + ' ' + family);
    dns.lookup('::1', { all: true }, (err, addresses) => {
      console.log('all ' + JSON.stringify(addresses));
      dns.lookup('no-such-host.invalid', (err) => {
        console.log('error ' + err.code + ' ' + err.syscall + ' / ' + err.message);
      });
      process.nextTick(() => console.log('tick after starting a real lookup'));
    });
  });
});
process.nextTick(() => console.log('tick queued after the literal lookup'));
