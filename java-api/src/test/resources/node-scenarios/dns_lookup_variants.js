// dns.lookup: all:true on IP literals (one entry, on the next tick), family 6 with an IPv4
// literal (the literal wins), a bad family (thrown), an empty host name (null address, family
// 4, plus a DEP0118 warning); ENOTFOUND's fields (code, errno, syscall, hostname), also from
// dns.promises.
const dns = require('dns');
const log = (s) => console.log(s);
const showErr = (label, e) => log(label + ': ' + e.code + ' errno=' + e.errno + ' syscall=' + e.syscall
    + ' hostname=' + e.hostname + ' | ' + e.message);
try { dns.lookup('localhost', { family: 5 }, () => {}); } catch (e) { log('family 5: ' + e.code + ' | ' + e.message); }
dns.lookup('10.1.2.3', { all: true }, (err, addrs) => {
  log('all v4 literal ' + JSON.stringify(addrs));
  dns.lookup('fe80::1', { all: true }, (err, addrs) => {
    log('all v6 literal ' + JSON.stringify(addrs));
    dns.lookup('10.1.2.3', { family: 6 }, (err, a, f) => {
      log('v4 literal with family 6: ' + (err ? err.code : a + ' ' + f));
      dns.lookup('', (err, a, f) => {
        log('empty host: ' + err + ' ' + a + ' ' + f);
        dns.lookup('no-such-host.invalid', { all: true }, (err, addrs) => {
          showErr('all ENOTFOUND', err);
          log('addrs ' + addrs);
          dns.promises.lookup('no-such-host.invalid', { family: 4 }).catch((e) => showErr('promise ENOTFOUND', e));
        });
      });
    });
  });
});
process.nextTick(() => log('tick'));
log('main');
