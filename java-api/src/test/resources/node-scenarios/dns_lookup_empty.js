// dns.lookup('') answers (null, null, 4) on the next tick, without a lookup (Node 20).
const dns = require('dns');
console.log('start');
dns.lookup('', (err, address, family) => console.log('empty: ' + err + ' ' + address + ' ' + family));
dns.lookup('', { family: 6 }, (err, address, family) => console.log('empty v6: ' + err + ' ' + address + ' ' + family));
dns.lookup('', { all: true }, (err, all) => console.log('empty all: ' + err + ' ' + JSON.stringify(all)));
process.nextTick(() => console.log('tick'));
console.log('end');
