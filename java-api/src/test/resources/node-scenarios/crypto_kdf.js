// crypto.pbkdf2 / scrypt / randomBytes: derived keys byte-identical to Node's; the async forms
// call back from the thread pool after the main script's ticks; bad arguments throw at once.
const crypto = require('crypto');
const log = (s) => console.log(s);
log('pbkdf2Sync sha256: ' + crypto.pbkdf2Sync('password', 'salt', 1, 32, 'sha256').toString('hex'));
try {
  crypto.pbkdf2('p', 's', 1, 8, 'nope', () => {});
} catch (e) {
  log('bad digest: ' + e.code + ' ' + e.message);
}
crypto.pbkdf2('password', 'salt', 4096, 64, 'sha512', (err, key) => {
  log('pbkdf2 sha512: ' + key.toString('hex'));
  crypto.pbkdf2(Buffer.alloc(0), Buffer.from('salt'), 2, 20, 'sha1', (err2, key2) => {
    log('pbkdf2 empty password sha1: ' + key2.toString('hex'));
    crypto.pbkdf2('pass\u00e9', 'NaCl', 1000, 48, 'sha384', (err3, key3) => {
      log('pbkdf2 non-ascii sha384: ' + key3.toString('hex'));
      crypto.scrypt('pleaseletmein', 'SodiumChloride', 64, (err4, key4) => {
        log('scrypt defaults: ' + key4.toString('hex'));
        crypto.randomBytes(16, (err5, rnd) => log('randomBytes length ' + rnd.length));
      });
    });
  });
});
process.nextTick(() => log('tick before any pool callback'));
log('scryptSync N=1024 r=8 p=16: ' + crypto.scryptSync('password', 'NaCl', 64, { N: 1024, r: 8, p: 16 }).toString('hex'));
log('scryptSync empty: ' + crypto.scryptSync('', '', 64, { N: 16, r: 1, p: 1 }).toString('hex'));
try {
  crypto.scryptSync(Buffer.alloc(1), Buffer.alloc(1), 16, { N: 1000 });
} catch (e) {
  log('N not a power of two: ' + e.code);
}
