// dns.promises: a literal resolves after the ticks and promise jobs queued before its callback;
// localhost by family; all addresses of a literal; a name that does not resolve rejects.
const dns = require('dns').promises;
dns.lookup('127.0.0.1').then((a) => {
  console.log('literal ' + a.address + ' ' + a.family);
  return dns.lookup('localhost', { family: 4 });
}).then((a) => {
  console.log('localhost ' + a.address + ' ' + a.family);
  return dns.lookup('::1', { family: 0, all: true });
}).then((all) => {
  console.log('all ' + JSON.stringify(all));
  return dns.lookup('no-such-host.invalid');
}).catch((err) => console.log('rejected ' + err.code + ' ' + err.syscall));
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('promise job'));
console.log('main');
